import {appendFileSync, existsSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {describe} from 'vitest';

/** Where the test stack's installs live (binaries, jars), shared by every checkout. */
export const stackCache = process.env['KMON_STACK_CACHE'] ?? path.join(homedir(), '.cache', 'kmon-stack');

/**
 * Why the test stack lacks kafka_exporter, or undefined when it has it. test/stack/install.sh builds it from
 * ../shared/third_party where the Go module proxy refuses it, so a missing binary is a broken install: the
 * tests that need it fail with this reason (requirePart), they are never skipped.
 */
export function whyMissing(component: 'kafka-exporter'): string | undefined {
	const binary = path.join(stackCache, 'bin', 'kafka_exporter');
	if (component === 'kafka-exporter' && !existsSync(binary)) {
		return `kafka_exporter is not installed (${binary}): test/stack/install.sh builds it (from ../shared/third_party/kafka_exporter-1.9.0 where the Go module proxy refuses the module); run it and read its output`;
	}

	return undefined;
}

/** For a beforeAll: a part of the test stack the tests need is there, or every test of the block fails saying why. */
export function requirePart(component: 'kafka-exporter'): void {
	const reason = whyMissing(component);
	if (reason) {
		throw new Error(reason);
	}
}

/**
 * What the machine cannot do, outside the project's reach (no root to start a Docker engine, a cgroup fs that is
 * not writable): the only reasons a test may be skipped. Each skip is said on the test output and, where CI
 * collects them (KMON_SKIP_LOG, set by .ci/run), written down with its file, so .ci/summarise.mjs lists it with
 * its reason; a skip CI finds without one counts as a failure.
 */
export type MachineLimit = {file: string; reason: string};

/** `describe`, or a skipped block when the machine cannot do what it needs (`limit` says what and why). */
export function describeUnless(limit: MachineLimit | undefined, name: string, body: () => void): void {
	if (limit === undefined) {
		describe(name, body);
		return;
	}

	console.warn(`SKIPPED (${path.basename(limit.file)}): ${limit.reason}`);
	const log = process.env['KMON_SKIP_LOG'];
	if (log) {
		appendFileSync(log, `${JSON.stringify({file: limit.file, reason: limit.reason})}\n`);
	}

	describe.skip(name, body);
}
