import {homedir} from 'node:os';
import path from 'node:path';
import {parseDuration} from '../config/duration.js';
import type {OutputRequest} from './choose-output.js';
import {fail, type Outcome, succeed} from './problem.js';

/** How kmon starts k6; flags beat kmon's environment variables beat defaults. */
export type K6Options = {
	/** --k6 as given; findK6Binary resolves it with K6_BIN and PATH. */
	k6: string | undefined;
	statsdAddr: string;
	output: OutputRequest;
	/** Time between the graceful stop (SIGINT) and the hard stop (SIGKILL of k6's process group). */
	stopGraceMs: number;
	/** Longest wait, after k6 ends, for Prometheus to scrape the run's last samples before the summary. */
	summaryWaitMs: number;
	/** Folder holding one folder per run. */
	runsFolder: string;
};

export type K6Flags = {
	k6?: string | undefined;
	statsdAddr?: string | undefined;
	output?: string | undefined;
	stopGrace?: string | undefined;
};

export const k6Defaults = {
	statsdAddr: '127.0.0.1:8125',
	output: 'auto',
	stopGrace: '10s',
	summaryWaitMs: 15_000,
} as const;

const outputs: readonly OutputRequest[] = ['auto', 'statsd', 'prometheus-rw'];

export function resolveK6Options(flags: K6Flags, env: NodeJS.ProcessEnv): Outcome<K6Options> {
	// A K6_STATSD_ADDR the user already exports is honoured: it is where they point k6 on this machine.
	const statsdAddr = flags.statsdAddr ?? env['KMON_STATSD_ADDR'] ?? env['K6_STATSD_ADDR'] ?? k6Defaults.statsdAddr;
	if (!isHostPort(statsdAddr)) {
		return fail('bad-statsd-addr', `--statsd-addr must be host:port, e.g. 127.0.0.1:8125 (got "${statsdAddr}")`, 'pass --statsd-addr or set KMON_STATSD_ADDR');
	}

	const output = flags.output ?? env['KMON_K6_OUTPUT'] ?? k6Defaults.output;
	if (!(outputs as readonly string[]).includes(output)) {
		return fail('bad-output', `--output must be one of ${outputs.join(', ')} (got "${output}")`, 'auto picks StatsD when this k6 has it');
	}

	const graceText = flags.stopGrace ?? env['KMON_K6_STOP_GRACE'] ?? k6Defaults.stopGrace;
	const stopGraceMs = parseDuration(graceText);
	if (stopGraceMs === undefined) {
		return fail('bad-stop-grace', `--stop-grace takes a duration such as 10s or 500ms (got "${graceText}")`, 'pass --stop-grace or set KMON_K6_STOP_GRACE');
	}

	return succeed({
		k6: flags.k6,
		statsdAddr,
		output: output as OutputRequest,
		stopGraceMs,
		summaryWaitMs: k6Defaults.summaryWaitMs,
		runsFolder: runsFolder(env),
	});
}

/** $XDG_STATE_HOME/kmon/runs, XDG's default for state being ~/.local/state. */
export function runsFolder(env: NodeJS.ProcessEnv): string {
	const stateHome = env['XDG_STATE_HOME'] && path.isAbsolute(env['XDG_STATE_HOME']) ? env['XDG_STATE_HOME'] : path.join(homedir(), '.local', 'state');
	return path.join(stateHome, 'kmon', 'runs');
}

function isHostPort(text: string): boolean {
	const match = /^(\[[\da-fA-F:.]+\]|[\w.-]+):(\d{1,5})$/.exec(text);
	return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 65_535;
}
