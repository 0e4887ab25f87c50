import process from 'node:process';
import {afterAll, describe, expect, test} from 'vitest';
import {kmon, prometheusUrl} from '../support/stack.js';
import {tmuxServer} from '../support/tmux.js';

// `kmon demo` (npm run demo) on a machine where no Docker engine answers: the checkout's local test stack (the
// one this suite runs on, already up) and the monitor on it. Its Docker route is in docker.test.ts.

const tmux = tmuxServer(`kmon-demo-${process.pid}`);
const noDocker = {DOCKER_HOST: 'unix:///nonexistent/docker.sock'};

afterAll(() => {
	tmux.stop();
});

describe('Given kmon demo asked for in ways that cannot work', () => {
	test('when --docker and --local are both given, then it says so and exits 2', async () => {
		const result = await kmon(['demo', '--docker', '--local']);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe('kmon demo: --docker and --local exclude each other (see kmon demo --help)\n');
	});

	test('when its output is not a terminal, then it starts nothing, says the monitor needs one and exits 2', async () => {
		const result = await kmon(['demo'], noDocker);
		expect(result.code).toBe(2);
		expect(result.stderr).toBe('kmon demo: the demo opens the monitor, which needs a terminal\n');
	});

	test('when --docker is given and no engine answers, then it names what is missing and exits 1', async () => {
		const pane = tmux.open('docker', 'node bin/kmon.js demo --docker', {columns: 120, rows: 30}, noDocker);
		const screen = await pane.waitFor('KMON_EXIT=1', 30_000);
		expect(screen).toMatch(/kmon: .*docker/i);
		expect(screen).not.toMatch(/^\s+at /m);
	});
});

describe('Given no Docker engine, in a checkout', () => {
	test('when kmon demo runs, then it says it uses the local processes, the monitor shows the lagging groups, and y leaves the stack running', async () => {
		const pane = tmux.open('local', 'node bin/kmon.js demo', {columns: 120, rows: 40}, {...noDocker, NO_COLOR: '1'});
		await pane.waitFor(/data <5s old/, 240_000);
		pane.keys('2');
		await pane.waitFor(/kmon-lagging +kmon-demo/, 60_000);
		await pane.waitFor(/kmon-stopped +kmon-demo/, 60_000);
		pane.keys('q');
		await pane.waitFor('Leave it running? [y/N]', 30_000);
		pane.keys('y', 'Enter');
		const screen = await pane.waitFor('KMON_EXIT=0', 30_000);
		expect(pane.joined()).toContain('no Docker engine answers');
		expect(pane.joined()).toContain('so the stack runs as local processes (test/stack/)');
		expect(screen).toContain('kmon demo: left running; watch it with kmon --prometheus http://127.0.0.1:9090, stop it with npm run stack:down');
		const ready = await fetch(`${prometheusUrl}/-/ready`);
		expect(ready.ok).toBe(true);
	}, 360_000);
});
