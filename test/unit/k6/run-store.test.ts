import {mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {
	createRunFolder, findRun, listRuns, liveRuns, readRunMarkers, readRunRecord, reconcileRun, runFile, type RunRecord, writeRunRecord,
} from '../../../source/k6/run-store.js';

let state: string;
let root: string;

beforeEach(() => {
	state = mkdtempSync(path.join(tmpdir(), 'kmon-state-'));
	root = path.join(state, 'kmon', 'runs');
});

afterEach(() => {
	rmSync(state, {recursive: true, force: true});
});

function record(overrides: Partial<RunRecord> = {}): RunRecord {
	return {
		schema: 1,
		id: 'x',
		script: '/scripts/load.js',
		args: ['run', '-o', 'output-statsd', '/scripts/load.js'],
		k6: {path: '/usr/bin/k6', version: 'v1.7.1', output: 'statsd-extension', outputReason: 'has output-statsd'},
		env: {set: ['K6_STATSD_ENABLE_TAGS', 'K6_STATSD_ADDR'], removed: []},
		statsdAddr: '127.0.0.1:8125',
		startedAt: '2026-01-02T10:00:00.000Z',
		endedAt: '2026-01-02T10:05:00.000Z',
		pid: 4242,
		pidStartMark: '100',
		owner: {pid: 4141, startMark: '90'},
		state: 'finished',
		exitCode: 0,
		signal: null,
		exitMeaning: 'finished',
		stoppedBy: null,
		summary: {state: 'saved', message: null},
		...overrides,
	};
}

/** Stores a run the way the controller does, in a folder named after its start. */
function store(overrides: Partial<RunRecord> = {}): RunRecord {
	const startedAt = new Date(overrides.startedAt ?? record().startedAt);
	const claimed = createRunFolder(root, overrides.script ?? '/scripts/load.js', startedAt);
	if (!claimed.ok) {
		throw new Error(claimed.problem.message);
	}

	const value = record({...overrides, id: claimed.value.id});
	writeRunRecord(claimed.value.folder, value);
	return value;
}

const nobodyAlive = () => false;

describe('Given a new run', () => {
	test('when its folder is created, then it is named <UTC time>-<script> under the state folder', () => {
		const claimed = createRunFolder(root, '/x/checkout flow.js', new Date('2026-01-02T10:03:05.123Z'));
		expect(claimed).toEqual({ok: true, value: {id: '20260102T100305Z-checkout_flow', folder: path.join(root, '20260102T100305Z-checkout_flow')}});
	});

	test('when two runs of one script start in the same second, then the second gets its own folder', () => {
		const at = new Date('2026-01-02T10:03:05Z');
		const first = createRunFolder(root, 'load.js', at);
		const second = createRunFolder(root, 'load.js', at);
		expect(first.ok && second.ok && [first.value.id, second.value.id]).toEqual(['20260102T100305Z-load', '20260102T100305Z-load-2']);
	});

	test('when run.json is written and read back, then it is the same record, and no temporary file is left', () => {
		const written = store();
		const folder = path.join(root, written.id);
		expect(readRunRecord(folder)).toEqual({ok: true, value: written});
		expect(readdirSync(folder)).toEqual(['run.json']);
	});
});

describe('Given a run record whose end was not recorded', () => {
	const running = record({endedAt: null, state: 'running', exitCode: null, exitMeaning: null, summary: {state: 'none', message: null}});
	const lastLog = () => '2026-01-02T10:04:00.000Z';

	test.each([
		{case: 'k6 and its kmon are alive', alive: [4242, 4141], state: 'running', endedAt: null, note: null},
		{case: 'k6 is alive and its kmon is gone', alive: [4242], state: 'detached', endedAt: null, note: /kmon that started it \(pid 4141\) is gone/},
		{case: 'k6 is gone', alive: [4141], state: 'detached', endedAt: '2026-01-02T10:04:00.000Z', note: /exit code unknown/},
		{case: 'both are gone', alive: [], state: 'detached', endedAt: '2026-01-02T10:04:00.000Z', note: /exit code unknown/},
	])('when $case, then readers see it as $state', ({alive, state: expected, endedAt, note}) => {
		const view = reconcileRun(running, pid => alive.includes(pid), lastLog);
		expect(view.state).toBe(expected);
		expect(view.endedAt).toBe(endedAt);
		expect(view.note).toEqual(note === null ? null : expect.stringMatching(note));
	});

	test('when it was detached on purpose and k6 still runs, then it stays detached', () => {
		expect(reconcileRun({...running, state: 'detached'}, pid => pid === 4242, lastLog)).toMatchObject({state: 'detached', endedAt: null});
	});

	test('when a pid was reused by another process, then the start mark tells them apart', () => {
		const view = reconcileRun(running, (pid, mark) => pid === 4242 && mark === 'another', lastLog);
		expect(view.state).toBe('detached');
		expect(view.endedAt).not.toBeNull();
	});

	test('when the stored run has logs, then its end is the last log write', () => {
		const stored = store({endedAt: null, state: 'running'});
		const folder = path.join(root, stored.id);
		writeFileSync(runFile(folder, 'stdout'), 'x');
		writeFileSync(runFile(folder, 'stderr'), 'y');
		utimesSync(runFile(folder, 'stdout'), new Date('2026-01-02T10:01:00Z'), new Date('2026-01-02T10:01:00Z'));
		utimesSync(runFile(folder, 'stderr'), new Date('2026-01-02T10:02:00Z'), new Date('2026-01-02T10:02:00Z'));
		expect(listRuns(root, nobodyAlive).runs[0]).toMatchObject({endedAt: '2026-01-02T10:02:00.000Z', state: 'detached'});
	});
});

describe('Given several stored runs', () => {
	test('when they are listed, then they come oldest first, and a broken folder is reported, not fatal', () => {
		store({startedAt: '2026-01-02T12:00:00.000Z', script: '/s/b.js'});
		store({startedAt: '2026-01-02T11:00:00.000Z', script: '/s/a.js'});
		mkdirSync(path.join(root, 'not-a-run'));
		const {runs, unreadable} = listRuns(root, nobodyAlive);
		expect(runs.map(run => path.basename(run.script))).toEqual(['a.js', 'b.js']);
		expect(unreadable).toEqual([expect.stringContaining('not-a-run')]);
	});

	test.each([
		{query: '20260102T110000Z-a', found: 'a.js'},
		{query: '20260102T11', found: 'a.js'},
		{query: '20260102T1', code: 'run-ambiguous'},
		{query: 'nope', code: 'run-unknown'},
	])('when run "$query" is looked up, then the answer is $found$code', ({query, found, code}) => {
		store({startedAt: '2026-01-02T11:00:00.000Z', script: '/s/a.js'});
		store({startedAt: '2026-01-02T12:00:00.000Z', script: '/s/b.js'});
		const result = findRun(root, query, nobodyAlive);
		if (found) {
			expect(result.ok && path.basename(result.value.script)).toBe(found);
		} else {
			expect(result).toMatchObject({ok: false, problem: {code}});
		}
	});

	test('when the run folder does not exist yet, then there are simply no runs', () => {
		expect(listRuns(path.join(state, 'missing'))).toEqual({runs: [], unreadable: []});
		expect(readRunMarkers({start: '2026-01-01T00:00:00Z', end: '2026-01-03T00:00:00Z'}, {runsFolder: path.join(state, 'missing')})).toEqual([]);
	});

	test('when one is still going, then it is the live run that blocks a second one', () => {
		store({startedAt: '2026-01-02T11:00:00.000Z'});
		const live = store({startedAt: '2026-01-02T12:00:00.000Z', endedAt: null, state: 'running', pid: 77});
		expect(liveRuns(root, pid => pid === 77).map(run => run.id)).toEqual([live.id]);
	});
});

describe('Given runs around a chart window of 10:00 to 10:10', () => {
	const window = {start: '2026-01-02T10:00:00.000Z', end: '2026-01-02T10:10:00.000Z'};
	const now = new Date('2026-01-02T10:10:00.000Z');

	test('then the markers are the runs overlapping it, oldest first, running ones included', () => {
		store({startedAt: '2026-01-02T09:00:00.000Z', endedAt: '2026-01-02T09:30:00.000Z', script: '/s/before.js'});
		store({startedAt: '2026-01-02T09:55:00.000Z', endedAt: '2026-01-02T10:02:00.000Z', script: '/s/into.js'});
		store({startedAt: '2026-01-02T10:03:00.000Z', endedAt: '2026-01-02T10:04:00.000Z', script: '/s/inside.js', state: 'failed', exitCode: 99});
		store({startedAt: '2026-01-02T10:08:00.000Z', endedAt: null, state: 'running', exitCode: null, pid: 99, script: '/s/running.js'});
		store({startedAt: '2026-01-02T10:11:00.000Z', endedAt: '2026-01-02T10:12:00.000Z', script: '/s/after.js'});
		const markers = readRunMarkers(window, {runsFolder: root, now, alive: pid => pid === 99 || pid === 4141});
		expect(markers.map(marker => [marker.script, marker.state, marker.exitCode, marker.endedAt])).toEqual([
			['into.js', 'finished', 0, '2026-01-02T10:02:00.000Z'],
			['inside.js', 'failed', 99, '2026-01-02T10:04:00.000Z'],
			['running.js', 'running', null, null],
		]);
	});

	test('when an ended run\'s record changes on disk, then its cached marker stays (ended runs are final)', () => {
		const ended = store({startedAt: '2026-01-02T10:01:00.000Z', endedAt: '2026-01-02T10:02:00.000Z'});
		expect(readRunMarkers(window, {runsFolder: root, now})).toHaveLength(1);
		writeFileSync(runFile(path.join(root, ended.id), 'record'), 'garbage');
		expect(readRunMarkers(window, {runsFolder: root, now})).toHaveLength(1);
	});
});

describe('Given Prometheus\'s clock two minutes ahead of this machine\'s, and its chart window of 10:02 to 10:12', () => {
	const window = {start: '2026-01-02T10:02:00.000Z', end: '2026-01-02T10:12:00.000Z'};
	const now = new Date('2026-01-02T10:10:00.000Z');

	test('when markers are read with the offset, then they are the runs of 10:00 to 10:10 here, moved onto Prometheus\'s time', () => {
		store({startedAt: '2026-01-02T09:55:00.000Z', endedAt: '2026-01-02T09:59:00.000Z', script: '/s/before.js'});
		store({startedAt: '2026-01-02T10:03:00.000Z', endedAt: '2026-01-02T10:04:00.000Z', script: '/s/inside.js'});
		store({startedAt: '2026-01-02T10:11:00.000Z', endedAt: '2026-01-02T10:11:30.000Z', script: '/s/after.js'});
		const markers = readRunMarkers(window, {runsFolder: root, now, offsetMs: 120_000});
		expect(markers.map(marker => [marker.script, marker.startedAt, marker.endedAt])).toEqual([
			['inside.js', '2026-01-02T10:05:00.000Z', '2026-01-02T10:06:00.000Z'],
		]);
	});
});
