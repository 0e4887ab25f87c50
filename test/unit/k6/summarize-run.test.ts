import {describe, expect, test} from 'vitest';
import type {Querier} from '../../../source/prometheus/querier.js';
import {windowFor} from '../../../source/prometheus/window.js';
import {peak, peaksOf, summarizeRun, summaryWindow, waitForScrapes} from '../../../source/k6/summarize-run.js';
import type {Snapshot, Target} from '../../../source/snapshot/types.js';

describe('Given a run of any length', () => {
	test.each([
		{case: '3 seconds', start: '2026-01-02T10:00:01.500Z', end: '2026-01-02T10:00:04.200Z'},
		{case: '30 seconds', start: '2026-01-02T10:00:07.250Z', end: '2026-01-02T10:00:37.900Z'},
		{case: '10 minutes', start: '2026-01-02T10:00:03.000Z', end: '2026-01-02T10:10:03.001Z'},
		{case: '6 hours', start: '2026-01-02T04:00:00.000Z', end: '2026-01-02T10:00:00.000Z'},
		{case: 'ending on a step', start: '2026-01-02T10:00:00.000Z', end: '2026-01-02T10:01:00.000Z'},
	])('when it lasted $case, then the summary window (as windowFor computes it) covers all of it in at most 61 points, ending on a 5-s grain', ({start, end}) => {
		const {rangeMs, points, evaluateAt} = summaryWindow(new Date(start), new Date(end));
		const window = windowFor(evaluateAt, rangeMs, points);
		expect(Date.parse(window.start)).toBeLessThanOrEqual(Date.parse(start));
		expect(Date.parse(window.end)).toBeGreaterThanOrEqual(Date.parse(end));
		expect(window.end).toBe(evaluateAt.toISOString());
		// On a 5-s grain, where collectSnapshot evaluates the run's request count: the end itself, not before it.
		expect(evaluateAt.getTime() % 5000).toBe(0);
		expect(window.points).toBe(points);
		expect(window.points).toBeLessThanOrEqual(61);
		// Not much wider than the run: at most two steps of margin on each side.
		expect(Date.parse(window.end) - Date.parse(window.start)).toBeLessThanOrEqual(Date.parse(end) - Date.parse(start) + (4 * window.stepSeconds * 1000));
	});
});

describe('Given a long run whose step boundary is far off', () => {
	test('when the window is aligned down, then it ends on the step before the end and still starts before the run', () => {
		const start = new Date('2026-01-02T04:00:00.000Z');
		const end = new Date('2026-01-02T10:00:03.000Z');
		const {rangeMs, points, evaluateAt} = summaryWindow(start, end, 'down');
		const window = windowFor(evaluateAt, rangeMs, points);
		expect(Date.parse(window.start)).toBeLessThanOrEqual(start.getTime());
		expect(Date.parse(window.end)).toBeLessThanOrEqual(end.getTime());
		expect(end.getTime() - Date.parse(window.end)).toBeLessThan(window.stepSeconds * 1000);
	});
});

describe('Given a history', () => {
	test.each([
		{history: [1, 5, null, 3], expected: 5},
		{history: [null, null], expected: null},
		{history: [], expected: null},
		{history: [0, 0], expected: 0},
		{history: [-2, null, -1], expected: -1},
		{history: [Number.NaN, 2], expected: 2},
	])('then the peak of $history is $expected (unknown is not zero)', ({history, expected}) => {
		expect(peak(history)).toBe(expected);
	});
});

const signal = (history: Array<number | null>) => ({value: history.at(-1) ?? null, history});

describe('Given the snapshot of a run\'s window', () => {
	test('then the peaks are taken per tag value, per group and per container', () => {
		const snapshot = {
			k6: {state: 'ok', data: {
				tagKey: 'name',
				totals: {requestsPerSecond: signal([1, 40, 20]), vus: signal([5, 10, 0]), p95Ms: signal([12, 80, null]), failedPercent: signal([0, 2.5, 0]), requests: 1200},
				byTag: [{value: '/cart', requests: 700, requestsPerSecond: signal([1, 30]), p95Ms: signal([9, 70]), p99Ms: signal([null, 90]), failedPercent: signal([0, 0])}],
			}},
			kafka: {state: 'ok', data: {groups: [{group: 'orders', topic: 'orders', lag: signal([10, 900, 50])}]}},
			containers: {state: 'ok', data: {containers: [{name: 'shop', id: '/docker/abc', cpuPercent: signal([20, 180, 30]), memoryWorkingSetBytes: signal([1e8, 3e8, 2e8]), memoryLimitBytes: null}]}},
		} as unknown as Snapshot;
		expect(peaksOf(snapshot)).toEqual({
			k6: {
				requests: 1200, peakRequestsPerSecond: 40, peakVus: 10, peakP95Ms: 80, peakFailedPercent: 2.5, tagKey: 'name',
				byTag: [{value: '/cart', requests: 700, peakRequestsPerSecond: 30, peakP95Ms: 70, peakP99Ms: 90, peakFailedPercent: 0}],
			},
			groups: [{group: 'orders', topic: 'orders', peakLag: 900, lagAtEnd: 50}],
			containers: [{name: 'shop', id: '/docker/abc', peakCpuPercent: 180, peakMemoryBytes: 3e8, memoryLimitBytes: null}],
		});
	});
});

function querierWith(targets: () => Target[] | undefined): Querier {
	const down = {ok: false as const, error: {kind: 'unreachable' as const, message: 'connection refused', status: null}};
	return {
		instant: async () => down,
		range: async () => down,
		labelNames: async () => down,
		version: async () => down,
		targets: async () => {
			const value = targets();
			return value ? {ok: true, value} : down;
		},
	};
}

const target = (lastScrape: string | null, health: Target['health'] = 'up'): Target => ({job: 'j', instance: 'i', health, lastError: null, lastScrape});

describe('Given Prometheus scraping after a run ended at 10:00:00', () => {
	const after = new Date('2026-01-02T10:00:00.000Z');

	test('when every healthy target was scraped since, then the wait ends with the latest scrape', async () => {
		const result = await waitForScrapes(querierWith(() => [target('2026-01-02T10:00:02.000Z'), target('2026-01-02T10:00:04.000Z'), target(null, 'down')]), after, 1000, 10);
		expect(result.scrapedAt?.toISOString()).toBe('2026-01-02T10:00:04.000Z');
	});

	test('when a target has not been scraped since, then kmon waits, at most the time allowed', async () => {
		let calls = 0;
		const started = Date.now();
		const result = await waitForScrapes(querierWith(() => {
			calls++;
			return [target('2026-01-02T09:59:59.000Z')];
		}), after, 200, 20);
		expect(result).toEqual({scrapedAt: null, answered: true});
		expect(calls).toBeGreaterThan(3);
		expect(Date.now() - started).toBeLessThan(1000);
	});

	test('when Prometheus does not answer, then kmon does not wait at all', async () => {
		const started = Date.now();
		expect(await waitForScrapes(querierWith(() => undefined), after, 10_000, 1000)).toEqual({scrapedAt: null, answered: false});
		expect(Date.now() - started).toBeLessThan(500);
	});

	test('when Prometheus is down at the end of a run, then the summary still comes, saying why it is empty', async () => {
		const run = {id: 'r', script: 'load.js', startedAt: new Date(Date.now() - 10_000).toISOString(), endedAt: new Date(Date.now() - 6000).toISOString(), state: 'finished' as const, exitCode: 0};
		const started = Date.now();
		const summary = await summarizeRun(querierWith(() => undefined), run, {url: 'http://prom:9090', tagKey: 'name', maxWaitMs: 5000});
		expect(Date.now() - started).toBeLessThan(500);
		expect(summary).toMatchObject({schema: 1, runs: [run], k6: {state: 'failed'}, peaks: {k6: null, groups: [], containers: []}});
		expect(summary.diagnostics[0]?.id).toMatch(/^prometheus-/);
	});
});
