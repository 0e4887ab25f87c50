import {existsSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';

/** Where the test stack's installs live (binaries, jars), shared by every checkout. */
export const stackCache = process.env['KMON_STACK_CACHE'] ?? path.join(homedir(), '.cache', 'kmon-stack');

/**
 * Why a component of the test stack is not there, or undefined when it is. kafka_exporter is the one the
 * registries cannot provide: the Go module proxy answers 403 for github.com/danielqsj/kafka_exporter (every
 * version), so on a machine where it was not put in the cache by other means the tests that need it report
 * themselves skipped with this reason instead of passing or failing.
 */
export function whyMissing(component: 'kafka-exporter'): string | undefined {
	const binary = path.join(stackCache, 'bin', 'kafka_exporter');
	if (component === 'kafka-exporter' && !existsSync(binary)) {
		return `kafka_exporter is not installed (${binary}): the Go module proxy refuses github.com/danielqsj/kafka_exporter (403), so consumer-group tests are skipped`;
	}

	return undefined;
}

/** For describe.skipIf: true when missing, after saying why on the test output. */
export function skipWithout(component: 'kafka-exporter'): boolean {
	const reason = whyMissing(component);
	if (reason) {
		console.warn(`SKIPPED: ${reason}`);
	}

	return reason !== undefined;
}
