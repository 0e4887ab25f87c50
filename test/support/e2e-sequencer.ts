import {BaseSequencer, type TestSpecification} from 'vitest/node';

/**
 * The e2e files in vitest's order, but for two that go last. backends.test.ts compares a whole window of history
 * the backends gather from when e2e.sh starts them: late in the run it need not wait for it. untrusted-text.test.ts
 * leaves what no test can take back at once: its consumer group shows as gone, and its cgroup as a container, for
 * a whole window after it deletes them, which would be in every later file's screens.
 */
const last = ['backends.test.ts', 'untrusted-text.test.ts'];

const rank = (file: TestSpecification) => last.findIndex(name => file.moduleId.endsWith(`/${name}`));

export default class E2eSequencer extends BaseSequencer {
	override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
		const sorted = await super.sort(files);
		return [...sorted.filter(file => rank(file) < 0), ...last.flatMap((_, index) => sorted.filter(file => rank(file) === index))];
	}
}
