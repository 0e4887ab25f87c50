// kmon parses k6's non-terminal progress lines (VUs, iterations): fake-k6 must print k6's exact shape.
import {describe, expect, it} from 'vitest';
import {fixedLengthDuration, formatDuration, parseDuration} from '../../stack/fake-k6/lib/gofmt.js';
import {
	executionDescription,
	executorDescription,
	executorProgress,
	progressBlock,
	runStatusLine,
	scenarioLine,
} from '../../stack/fake-k6/lib/progress.js';
import {formatLogLine} from '../../stack/fake-k6/lib/log.js';

const s = 1e9;

describe('Given an elapsed time and the test’s max duration, when k6 formats it with fixed length', () => {
	it.each([
		[5 * s, 9 * s, '5.0s'],
		[5 * s, 40 * s, '05.0s'],
		[5.04 * s, 90 * s, '0m05.0s'],
		[65.26 * s, 90 * s, '1m05.3s'],
		[5 * s, 15 * 60 * s, '00m05.0s'],
		[3725 * s, 2 * 3600 * s, '1h02m05.0s'],
		[3725 * s, 11 * 3600 * s, '01h02m05.0s'],
	])('then %d ns of %d ns reads %s', (elapsed, max, expected) => {
		expect(fixedLengthDuration(elapsed, max)).toBe(expected);
	});
});

describe('Given Go durations', () => {
	it.each([
		[10 * s, '10s'], [60 * s, '1m0s'], [90 * s, '1m30s'], [1.5 * s, '1.5s'], [0.5 * s, '500ms'], [7200 * s, '2h0m0s'], [0, '0s'],
	])('when %d ns is printed, then it reads %s', (ns, text) => {
		expect(formatDuration(ns)).toBe(text);
	});

	it.each([
		['10s', 10 * s], ['1m30s', 90 * s], ['1.5s', 1.5 * s], ['250ms', 0.25 * s], ['1d', 86_400 * s], ['1500', 1.5 * s],
	])('when %s is parsed, then it is %d ns', (text, ns) => {
		expect(parseDuration(text)).toBe(ns);
	});

	it('when the text is not a duration, then parsing fails', () => {
		expect(() => parseDuration('ten seconds')).toThrow(/invalid duration/);
	});
});

describe('Given a running test, when k6 prints its progress without a terminal', () => {
	it.each([
		[{elapsedNs: 5 * s, maxDurationNs: 60 * s, activeVUs: 10, maxVUs: 10, complete: 48, interrupted: 0},
			'running (0m05.0s), 10/10 VUs, 48 complete and 0 interrupted iterations'],
		[{elapsedNs: 5 * s, maxDurationNs: 40 * s, activeVUs: 5, maxVUs: 10, complete: 7, interrupted: 2},
			'running (05.0s), 05/10 VUs, 7 complete and 2 interrupted iterations'],
		[{elapsedNs: 1 * s, maxDurationNs: 31 * s, activeVUs: 1, maxVUs: 1, complete: 0, interrupted: 0},
			'running (01.0s), 1/1 VUs, 0 complete and 0 interrupted iterations'],
	])('then the run line reads as k6’s', (state, expected) => {
		expect(runStatusLine(state)).toBe(expected);
	});

	it.each([
		['running at half time', ' ', 5 * s, 'default   [  50% ] 10 VUs  05.0s/10s'],
		['done', '✓', 11 * s, 'default ✓ [ 100% ] 10 VUs  10s'],
		['interrupted early', '✗', 2.5 * s, 'default ✗ [  25% ] 10 VUs  02.5s/10s'],
	])('then the scenario line when %s reads as k6’s', (_, status, elapsedNs, expected) => {
		const ex = {type: 'constant-vus' as const, vus: 10, durationNs: 10 * s, gracefulStopNs: 30 * s};
		const {progress, right} = executorProgress(ex, {elapsedNs, doneIterations: 0});
		expect(scenarioLine({left: 'default', maxLeft: 7, status, progress, right, widths: right.slice(0, -1).map(c => c.length)})).toBe(expected);
	});

	it('then the block is an empty line, the run line and the scenario line', () => {
		const block = progressBlock({
			run: {elapsedNs: 5 * s, maxDurationNs: 40 * s, activeVUs: 10, maxVUs: 10, complete: 48, interrupted: 0},
			scenario: {name: 'default', status: ' ', progress: 0.5, right: ['10 VUs', '05.0s/10s']},
		});
		expect(block).toBe('\nrunning (05.0s), 10/10 VUs, 48 complete and 0 interrupted iterations\ndefault   [  50% ] 10 VUs  05.0s/10s\n');
	});
});

describe('Given an executor, when k6 describes the execution plan', () => {
	it.each([
		[{type: 'constant-vus', vus: 10, durationNs: 30 * s, gracefulStopNs: 30 * s}, '10 looping VUs for 30s (gracefulStop: 30s)'],
		[{type: 'per-vu-iterations', vus: 1, iterations: 1, maxDurationNs: 600 * s, gracefulStopNs: 30 * s}, '1 iterations for each of 1 VUs (maxDuration: 10m0s, gracefulStop: 30s)'],
		[{type: 'shared-iterations', vus: 2, iterations: 20, maxDurationNs: 600 * s, gracefulStopNs: 30 * s}, '20 iterations shared among 2 VUs (maxDuration: 10m0s, gracefulStop: 30s)'],
	])('then %o reads %s', (ex, expected) => {
		expect(executorDescription(ex as never)).toBe(expected);
	});

	it('then the header names script, output and the max duration including the graceful stop', () => {
		const text = executionDescription({
			script: 'load.js', outputs: ['statsd (localhost:8125)'], scenario: 'default',
			executor: {type: 'constant-vus', vus: 10, durationNs: 10 * s, gracefulStopNs: 30 * s},
		});
		expect(text).toContain('     execution: local\n        script: load.js\n        output: statsd (localhost:8125)\n');
		expect(text).toContain('     scenarios: (100.00%) 1 scenario, 10 max VUs, 40s max duration (incl. graceful stop):\n              * default: 10 looping VUs for 10s (gracefulStop: 30s)\n');
	});
});

describe('Given a log entry, when k6 writes it without a terminal', () => {
	it('then it is a logrus text line: time, level, quoted msg, sorted fields', () => {
		const line = formatLogLine('error', "test run was aborted because k6 received a 'interrupt' signal", {sig: 'interrupt', hint: 'x y'}, new Date(Date.UTC(2026, 0, 2, 3, 4, 5)));
		expect(line).toMatch(/^time="2026-01-02T\d\d:\d\d:05(Z|[+-]\d\d:\d\d)" level=error msg="test run was aborted because k6 received a 'interrupt' signal" hint="x y" sig=interrupt$/);
	});
});
