import {describe, expect, test} from 'vitest';
import {renderRunDetails, renderRunList} from '../../../source/k6/render-runs.js';
import type {RunView} from '../../../source/k6/run-store.js';

const now = new Date('2026-01-02T10:10:00.000Z');

function view(overrides: Partial<RunView> = {}): RunView {
	return {
		schema: 1,
		id: '20260102T100000Z-load',
		script: '/scripts/load.js',
		args: ['run', '-o', 'output-statsd', '--vus', '10', '/scripts/load.js'],
		k6: {path: '/usr/bin/k6', version: 'v1.7.1', output: 'statsd-extension', outputReason: 'k6 v1.7.1 has the output-statsd extension'},
		env: {set: ['K6_STATSD_ENABLE_TAGS', 'K6_STATSD_ADDR'], removed: ['KMON_PROMETHEUS_PASSWORD']},
		statsdAddr: '127.0.0.1:8125',
		startedAt: '2026-01-02T10:00:00.000Z',
		endedAt: '2026-01-02T10:01:30.000Z',
		pid: 4242,
		pidStartMark: null,
		owner: {pid: 1, startMark: null},
		state: 'failed',
		exitCode: 99,
		signal: null,
		exitMeaning: 'thresholds failed',
		stoppedBy: null,
		summary: {state: 'failed', message: 'Prometheus unreachable'},
		note: null,
		...overrides,
	};
}

describe('Given kept runs', () => {
	test('when there are none, then the list says how to make one', () => {
		expect(renderRunList([], 100, now)).toEqual(['no k6 runs yet (kmon run SCRIPT, or r in the monitor)']);
	});

	test('when they are listed, then each has id, script, start, duration, state and exit code', () => {
		const lines = renderRunList([view(), view({id: '20260102T100500Z-load', startedAt: '2026-01-02T10:05:00.000Z', endedAt: null, state: 'running', exitCode: null, exitMeaning: null})], 140, now);
		expect(lines[0]).toMatch(/^ID\s+SCRIPT\s+START\s+DURATION\s+STATE\s+EXIT\s+MEANING$/);
		expect(lines[1]).toMatch(/^20260102T100000Z-load\s+load\.js\s+\S+ \S+\s+1m30s\s+failed\s+99\s+thresholds failed$/);
		expect(lines[2]).toMatch(/^20260102T100500Z-load\s+load\.js\s+\S+ \S+\s+5m\s+running \(5m\)$/);
	});

	test('when the terminal is narrow, then the least important columns go first', () => {
		const [header] = renderRunList([view()], 60, now);
		expect(header).toMatch(/^ID/);
		expect(header).not.toContain('MEANING');
	});

	test('when a failed run is shown, then its command, exit meaning, withheld secrets and last stderr lines are there', () => {
		const lines = renderRunDetails({
			run: view(),
			folder: '/state/kmon/runs/20260102T100000Z-load',
			files: {'run.json': 900, 'stdout.log': 2048, 'stderr.log': 120},
			summary: null,
			summaryProblem: 'not taken: Prometheus unreachable',
			stderrTail: ['level=error msg="thresholds on metrics \'http_req_duration\' have been crossed"'],
		}, 100, now).join('\n');
		expect(lines).toContain('command    k6 run -o output-statsd --vus 10 /scripts/load.js');
		expect(lines).toContain('state      failed · exit 99: thresholds failed');
		expect(lines).toContain('withheld from k6: KMON_PROMETHEUS_PASSWORD');
		expect(lines).toContain('last lines of stderr');
		expect(lines).toContain('summary: not taken: Prometheus unreachable');
	});

	test('when a run ended unseen, then the note says its exit code is unknown', () => {
		const lines = renderRunDetails({
			run: view({state: 'detached', exitCode: null, exitMeaning: null, note: 'ended while no kmon was watching: exit code unknown'}),
			folder: '/f', files: {}, summary: null, summaryProblem: 'none', stderrTail: [],
		}, 100, now).join('\n');
		expect(lines).toContain('state      detached · exit code unknown');
		expect(lines).toContain('note       ended while no kmon was watching');
	});
});

describe('Given a run store whose records and logs carry terminal controls', () => {
	const evil = 'x\u001B]0;PWNED\u0007\u001B[2J\u202Ey';
	const shown = 'x\\e]0;PWNED\\x07\\e[2J\\u202ey';

	test('when runs are listed and shown, then the controls are visible escapes and none reaches the terminal', () => {
		const run = view({id: `20260102T100000Z-${evil}`, script: `/scripts/${evil}.js`, args: ['run', evil], note: evil});
		const lines = [
			...renderRunList([run], 200, now),
			...renderRunDetails({run, folder: `/runs/${evil}`, files: {[evil]: 3}, summary: null, summaryProblem: evil, stderrTail: [evil]}, 200, now),
		];
		expect(lines.filter(line => line.includes(shown)).length).toBeGreaterThanOrEqual(8);
		expect(lines.join('')).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
	});
});
