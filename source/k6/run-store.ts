// Every k6 run started by kmon gets a folder: $XDG_STATE_HOME/kmon/runs/<time>-<script>/ with k6's full stdout
// and stderr, run.json (what was run, by whom, how it ended) and, at the end, summary.json. The folder is the
// only record a run has, so readers (kmon runs, the run markers on every chart) work from it alone, including
// for runs that another kmon started or that were left running when kmon quit.

import {mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {RunMarker, Window} from '../snapshot/types.js';
import type {OutputKind} from './choose-output.js';
import {runsFolder} from './k6-options.js';
import {fail, type Outcome, succeed} from './problem.js';
import {isProcessAlive} from './process-liveness.js';

export type RunRecordState = RunMarker['state'];

export type RunRecord = {
	schema: 1;
	id: string;
	/** Absolute path of the script. */
	script: string;
	/** Everything after the k6 binary, e.g. ["run", "-o", "output-statsd", "--vus", "10", "script.js"]; secrets redacted. */
	args: string[];
	k6: {path: string; version: string | null; output: OutputKind; outputReason: string};
	/** Names of the variables kmon set for k6, and of those it kept from k6; never their values. */
	env: {set: string[]; removed: string[]};
	/** Where StatsD went (null for remote write). Not a secret: an address on the test network. */
	statsdAddr: string | null;
	startedAt: string;
	endedAt: string | null;
	pid: number | null;
	/** Start time of k6's process, to tell it from a later process with the same pid. */
	pidStartMark: string | null;
	/** The kmon process watching the run; when it is gone and k6 is not, the run is detached. */
	owner: {pid: number; startMark: string | null};
	state: RunRecordState;
	exitCode: number | null;
	signal: string | null;
	exitMeaning: string | null;
	/** Set when the run ended because someone stopped it. */
	stoppedBy: 'user' | 'hard-stop' | null;
	summary: {state: 'pending' | 'saved' | 'failed' | 'skipped' | 'none'; message: string | null};
};

/** A record as readers should see it: a run whose watcher vanished is reported as what it really is now. */
export type RunView = RunRecord & {
	/** Why the state differs from the file, when it does. */
	note: string | null;
};

export const runFileNames = {record: 'run.json', stdout: 'stdout.log', stderr: 'stderr.log', summary: 'summary.json'} as const;

export function runFile(folder: string, file: keyof typeof runFileNames): string {
	return path.join(folder, runFileNames[file]);
}

/**
 * Claims a new folder for a run. The name starts with the UTC start time, so names sort by start and readers can
 * skip runs that start after a window without opening them; two runs in one second get -2, -3….
 */
export function createRunFolder(root: string, script: string, startedAt: Date): Outcome<{id: string; folder: string}> {
	const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
	const name = path.basename(script).replace(/\.(m?js|ts|tar)$/, '').replace(/[^\w.-]+/g, '_').slice(0, 60) || 'script';
	try {
		mkdirSync(root, {recursive: true, mode: 0o700});
	} catch (error) {
		return fail('run-store-unwritable', `cannot create ${root}: ${(error as Error).message}`, 'set XDG_STATE_HOME to a writable folder');
	}

	for (let attempt = 1; attempt < 100; attempt++) {
		const id = attempt === 1 ? `${stamp}-${name}` : `${stamp}-${name}-${attempt}`;
		const folder = path.join(root, id);
		try {
			// Not recursive: failing with EEXIST is what makes the claim safe between two kmon processes.
			mkdirSync(folder, {mode: 0o700});
			return succeed({id, folder});
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
				return fail('run-store-unwritable', `cannot create ${folder}: ${(error as Error).message}`, 'set XDG_STATE_HOME to a writable folder');
			}
		}
	}

	return fail('run-store-full', `too many runs of ${name} in one second`, 'wait a second and start again');
}

/** Replaces run.json in one step, so a reader never sees half a file. */
export function writeRunRecord(folder: string, record: RunRecord): void {
	const target = runFile(folder, 'record');
	const temporary = `${target}.${process.pid}.tmp`;
	writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`, {mode: 0o600});
	renameSync(temporary, target);
}

export function readRunRecord(folder: string): Outcome<RunRecord> {
	let text: string;
	try {
		text = readFileSync(runFile(folder, 'record'), 'utf8');
	} catch (error) {
		return fail('run-unreadable', `${path.basename(folder)}: no run.json (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`, 'the folder is not a kmon run, or was not finished being created');
	}

	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return fail('run-unreadable', `${path.basename(folder)}: run.json is not valid JSON`, 'remove the folder if the run is of no use');
	}

	const record = value as Partial<RunRecord>;
	if (record.schema !== 1 || typeof record.id !== 'string' || typeof record.startedAt !== 'string' || typeof record.state !== 'string') {
		return fail('run-unreadable', `${path.basename(folder)}: run.json is not a kmon run record (schema 1)`, 'remove the folder if the run is of no use');
	}

	return succeed(value as RunRecord);
}

export type LivenessProbe = (pid: number, startMark: string | null) => boolean;

/**
 * What a record means now. A record still saying running while its k6 is alive but its kmon is gone is a
 * detached run; one whose k6 is gone without an end recorded ended while nobody watched: its end is taken from
 * the last write to its logs and its exit code is unknown.
 */
export function reconcileRun(record: RunRecord, alive: LivenessProbe, lastOutputAt: () => string | null): RunView {
	if (record.endedAt !== null) {
		return {...record, note: null};
	}

	const k6Alive = record.pid !== null && alive(record.pid, record.pidStartMark);
	if (k6Alive) {
		if (record.state === 'detached' || alive(record.owner.pid, record.owner.startMark)) {
			return {...record, note: record.state === 'detached' ? `left running by kmon; k6 is pid ${record.pid}` : null};
		}

		return {...record, state: 'detached', note: `the kmon that started it (pid ${record.owner.pid}) is gone; k6 still runs as pid ${record.pid}`};
	}

	return {
		...record,
		state: 'detached',
		endedAt: lastOutputAt() ?? record.startedAt,
		note: 'ended while no kmon was watching: exit code unknown (see stdout.log and stderr.log); end time is the last log write',
	};
}

function lastOutputOf(folder: string): () => string | null {
	return () => {
		const times = (['stdout', 'stderr'] as const).flatMap(file => {
			try {
				return [statSync(runFile(folder, file)).mtimeMs];
			} catch {
				return [];
			}
		});
		return times.length > 0 ? new Date(Math.max(...times)).toISOString() : null;
	};
}

export function viewRun(folder: string, alive: LivenessProbe = isProcessAlive): Outcome<RunView> {
	const record = readRunRecord(folder);
	return record.ok ? succeed(reconcileRun(record.value, alive, lastOutputOf(folder))) : record;
}

/** Run folder names, oldest first (names start with the UTC start time). */
function runFolderNames(root: string): string[] {
	try {
		return readdirSync(root, {withFileTypes: true}).filter(entry => entry.isDirectory()).map(entry => entry.name).sort();
	} catch {
		return [];
	}
}

export type RunList = {runs: RunView[]; unreadable: string[]};

export function listRuns(root: string, alive: LivenessProbe = isProcessAlive): RunList {
	const runs: RunView[] = [];
	const unreadable: string[] = [];
	for (const name of runFolderNames(root)) {
		const view = viewRun(path.join(root, name), alive);
		if (view.ok) {
			runs.push(view.value);
		} else {
			unreadable.push(view.problem.message);
		}
	}

	runs.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
	return {runs, unreadable};
}

/** A run by its id, or by a prefix of it that only one run has (ids are long). */
export function findRun(root: string, query: string, alive: LivenessProbe = isProcessAlive): Outcome<RunView & {folder: string}> {
	const names = runFolderNames(root);
	const exact = names.includes(query) ? [query] : names.filter(name => name.startsWith(query));
	if (exact.length !== 1) {
		return exact.length === 0
			? fail('run-unknown', `no run "${query}" in ${root}`, 'kmon runs lists the runs and their ids')
			: fail('run-ambiguous', `"${query}" matches ${exact.length} runs: ${exact.slice(0, 5).join(', ')}${exact.length > 5 ? ', …' : ''}`, 'give more of the id');
	}

	const folder = path.join(root, exact[0]!);
	const view = viewRun(folder, alive);
	return view.ok ? succeed({...view.value, folder}) : view;
}

/** Runs whose k6 is still alive, whoever started them: kmon runs one load test at a time. */
export function liveRuns(root: string, alive: LivenessProbe = isProcessAlive): RunView[] {
	return listRuns(root, alive).runs.filter(run => run.endedAt === null);
}

export function markerOf(run: RunView): RunMarker {
	return {id: run.id, script: path.basename(run.script), startedAt: run.startedAt, endedAt: run.endedAt, state: run.state, exitCode: run.exitCode};
}

// Ended runs never change their run.json again, so their markers are kept between polls; only the folder list
// and runs still going are read each time.
const endedMarkers = new Map<string, RunMarker>();

export type MarkerOptions = {
	/** Defaults to $XDG_STATE_HOME/kmon/runs. */
	runsFolder?: string;
	/** End of a run still going, for the overlap test. */
	now?: Date;
	alive?: LivenessProbe;
	/**
	 * Prometheus's time minus this machine's. Runs are recorded on this machine's clock and the window is on
	 * Prometheus's: the marks are moved by the offset, so they fall where the run's load shows on the charts.
	 */
	offsetMs?: number;
};

/** k6 runs overlapping `window`, oldest first, for the start and end marks on every chart. Fast: called every poll. */
export function readRunMarkers(window: Pick<Window, 'start' | 'end'>, options: MarkerOptions = {}): RunMarker[] {
	const root = options.runsFolder ?? runsFolder(process.env);
	const offsetMs = options.offsetMs ?? 0;
	// The window on this machine's clock, as the run records are.
	const start = Date.parse(window.start) - offsetMs;
	const end = Date.parse(window.end) - offsetMs;
	const now = (options.now ?? new Date()).getTime();
	const markers: RunMarker[] = [];
	for (const name of runFolderNames(root)) {
		if (startOfName(name) > end + 1000) {
			// Sorted by start: every later folder starts after the window too.
			break;
		}

		const folder = path.join(root, name);
		let marker = endedMarkers.get(folder);
		if (!marker) {
			const view = viewRun(folder, options.alive);
			if (!view.ok) {
				continue;
			}

			marker = markerOf(view.value);
			if (view.value.endedAt !== null && view.value.note === null) {
				endedMarkers.set(folder, marker);
			}
		}

		const markerEnd = marker.endedAt === null ? now : Date.parse(marker.endedAt);
		if (Date.parse(marker.startedAt) <= end && markerEnd >= start) {
			markers.push(offsetMs === 0 ? marker : movedBy(marker, offsetMs));
		}
	}

	return markers.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

function movedBy(marker: RunMarker, offsetMs: number): RunMarker {
	const move = (iso: string) => new Date(Date.parse(iso) + offsetMs).toISOString();
	return {...marker, startedAt: move(marker.startedAt), endedAt: marker.endedAt === null ? null : move(marker.endedAt)};
}

/** Start time encoded in a folder name (20250102T100305Z-…), or -Infinity when the name is not one of ours. */
function startOfName(name: string): number {
	const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z/.exec(name);
	return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6])) : Number.NEGATIVE_INFINITY;
}
