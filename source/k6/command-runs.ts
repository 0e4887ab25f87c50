import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import meow from 'meow';
import {parseDuration} from '../config/duration.js';
import {escapeControls, jsonText} from '../format/escape-controls.js';
import {k6Defaults, runsFolder} from './k6-options.js';
import {isProcessAlive} from './process-liveness.js';
import {type RunDetails, renderRunDetails, renderRunList} from './render-runs.js';
import {findRun, listRuns, runFile, type RunView, writeRunRecord} from './run-store.js';
import type {RunSummary} from './summarize-run.js';

const help = `
	Usage
	  $ kmon runs [--json]              list the k6 runs kmon started, oldest first
	  $ kmon runs show ID [--json]      one run: command, how it ended, and its summary
	  $ kmon runs stop ID               stop a run left running (graceful, then hard after --stop-grace)

	ID is the run's folder name, or any prefix only one run has.
	Runs live in $XDG_STATE_HOME/kmon/runs (default ~/.local/state/kmon/runs).

	Options
	  --json             machine-readable output
	  --stop-grace D     with stop: wait before killing k6's process group   [KMON_K6_STOP_GRACE, ${k6Defaults.stopGrace}]

	Exit codes
	  0 ok · 1 the run could not be stopped · 2 bad usage or unknown run
`;

/** `kmon runs`, `kmon runs show ID`, `kmon runs stop ID`. */
export async function runCommand(argv: string[]): Promise<number> {
	const cli = meow(help, {
		importMeta: import.meta,
		argv,
		allowUnknownFlags: false,
		flags: {
			json: {type: 'boolean'},
			stopGrace: {type: 'string'},
		},
	});
	const root = runsFolder(process.env);
	const [action, id, ...extra] = cli.input;
	const width = process.stdout.isTTY ? process.stdout.columns : 120;
	if (extra.length > 0 || (action !== undefined && !['show', 'stop', 'list'].includes(action))) {
		return usage(`unknown arguments "${cli.input.join(' ')}" (kmon runs [show|stop ID])`);
	}

	if (action === undefined || action === 'list') {
		const {runs, unreadable} = listRuns(root);
		process.stdout.write(cli.flags.json ? `${jsonText(runs)}\n` : `${renderRunList(runs, width).join('\n')}\n`);
		for (const problem of unreadable) {
			// Folder names are whatever is in the store, not only what kmon made.
			process.stderr.write(`kmon: skipped ${escapeControls(problem)}\n`);
		}

		return 0;
	}

	if (!id) {
		return usage(`kmon runs ${action} needs a run id (kmon runs lists them)`);
	}

	const found = findRun(root, id);
	if (!found.ok) {
		process.stderr.write(`kmon: ${escapeControls(found.problem.message)}\n  ${found.problem.fix}\n`);
		return 2;
	}

	if (action === 'stop') {
		const grace = parseDuration(cli.flags.stopGrace ?? process.env['KMON_K6_STOP_GRACE'] ?? k6Defaults.stopGrace);
		if (grace === undefined) {
			return usage('--stop-grace takes a duration such as 10s');
		}

		return stopRun(found.value, found.value.folder, grace);
	}

	const details = readDetails(found.value, found.value.folder);
	process.stdout.write(cli.flags.json
		? `${jsonText({run: details.run, folder: details.folder, files: details.files, summary: details.summary})}\n`
		: `${renderRunDetails(details, width).join('\n')}\n`);
	return 0;
}

function usage(message: string): number {
	process.stderr.write(`kmon: ${message}\n`);
	return 2;
}

function readDetails(run: RunView, folder: string): RunDetails {
	const files: Record<string, number> = {};
	for (const name of readdirSync(folder)) {
		if (!name.endsWith('.tmp')) {
			files[name] = statSync(path.join(folder, name)).size;
		}
	}

	let summary: RunSummary | null = null;
	let summaryProblem: string | null = null;
	try {
		summary = JSON.parse(readFileSync(runFile(folder, 'summary'), 'utf8')) as RunSummary;
	} catch {
		summaryProblem = run.endedAt === null
			? 'taken when the run ends'
			: (run.summary.state === 'failed' || run.summary.state === 'skipped' ? `not taken: ${run.summary.message}` : 'none (the run ended while no kmon was watching it, or without one)');
	}

	const failed = run.state === 'failed' || (run.exitCode !== null && run.exitCode !== 0);
	let stderrTail: string[] = [];
	if (failed) {
		try {
			stderrTail = readFileSync(runFile(folder, 'stderr'), 'utf8').split('\n').filter(line => line.trim()).slice(-8);
		} catch {
			// No stderr log: nothing to show.
		}
	}

	return {run, folder, files, summary, summaryProblem, stderrTail};
}

/**
 * Stops a run from outside the kmon that started it (typically one left running detached): SIGINT to k6, then
 * SIGKILL to its process group after the grace period. When no kmon watches the run, the end is recorded here.
 */
async function stopRun(run: RunView, folder: string, graceMs: number): Promise<number> {
	if (run.endedAt !== null || run.pid === null) {
		process.stderr.write(`kmon: run ${run.id} has already ended (${run.state})\n`);
		return 0;
	}

	const pid = run.pid;
	const alive = () => isProcessAlive(pid, run.pidStartMark);
	try {
		process.kill(pid, 'SIGINT');
	} catch (error) {
		process.stderr.write(`kmon: cannot signal k6 (pid ${pid}): ${(error as Error).message}\n`);
		return 1;
	}

	process.stderr.write(`kmon: asked k6 (pid ${pid}) to stop; hard stop in ${graceMs / 1000}s\n`);
	let stoppedBy: 'user' | 'hard-stop' = 'user';
	if (!(await waitFor(() => !alive(), graceMs))) {
		stoppedBy = 'hard-stop';
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// Gone between the check and the kill.
		}

		if (!(await waitFor(() => !alive(), 5000))) {
			process.stderr.write(`kmon: k6 (pid ${pid}) is still alive after SIGKILL\n`);
			return 1;
		}
	}

	const ownerWatching = isProcessAlive(run.owner.pid, run.owner.startMark) && run.note === null && run.state !== 'detached';
	if (!ownerWatching) {
		const {note: _note, ...record} = run;
		writeRunRecord(folder, {...record, state: 'detached', endedAt: new Date().toISOString(), stoppedBy, exitMeaning: 'stopped with kmon runs stop; exit code unknown (k6 was not a child of this kmon)'});
	}

	process.stderr.write(`kmon: run ${run.id} stopped${stoppedBy === 'hard-stop' ? ' (hard stop: it ignored SIGINT)' : ''}\n`);
	return 0;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (condition()) {
			return true;
		}

		await new Promise(resolve => {
			setTimeout(resolve, 100);
		});
	}

	return condition();
}
