import {describe, expect, test} from 'vitest';
import {parseK6Duration, parseProgressLine, parseScenarioLine} from '../../../source/k6/parse-progress-line.js';

describe('Given a k6 status line', () => {
	test.each([
		{line: 'running (0m05.0s), 10/10 VUs, 48 complete and 0 interrupted iterations', expected: {k6ElapsedSeconds: 5, paused: false, vus: 10, maxVus: 10, completeIterations: 48, interruptedIterations: 0}},
		{line: 'running (01.0s), 2/6 VUs, 0 complete and 0 interrupted iterations', expected: {k6ElapsedSeconds: 1, vus: 2, maxVus: 6}},
		{line: 'running (5.0s), 1/1 VUs, 3 complete and 0 interrupted iterations', expected: {k6ElapsedSeconds: 5}},
		{line: 'running (05.0s), 0/6 VUs, 5 complete and 6 interrupted iterations', expected: {vus: 0, completeIterations: 5, interruptedIterations: 6}},
		{line: 'running (1m01.0s), 0/1 VUs, 54 complete and 0 interrupted iterations', expected: {k6ElapsedSeconds: 61}},
		{line: 'running (00h10m05.5s), 003/100 VUs, 12345 complete and 17 interrupted iterations', expected: {k6ElapsedSeconds: 605.5, vus: 3, maxVus: 100, completeIterations: 12_345, interruptedIterations: 17}},
		{line: 'running (1d02h03m04.5s), 10/10 VUs, 1 complete and 0 interrupted iterations', expected: {k6ElapsedSeconds: 93_784.5}},
		{line: 'paused (0m12.0s), 00/10 VUs, 20 complete and 0 interrupted iterations', expected: {paused: true, vus: 0, k6ElapsedSeconds: 12}},
		{line: 'running, 00/10 VUs, 0 complete and 0 interrupted iterations', expected: {k6ElapsedSeconds: null, vus: 0}},
		{line: 'running (0m05.0s), 10/10 VUs, 48 complete and 0 interrupted iterations\r', expected: {completeIterations: 48}},
	])('when it is "$line", then VUs, iterations and elapsed time are read', ({line, expected}) => {
		expect(parseProgressLine(line)).toMatchObject(expected);
	});

	test.each([
		'default   [  17% ] 10/10 VUs  0m05.0s/0m30.0s',
		'     execution: local',
		'time="2026-01-01T00:00:00Z" level=error msg="running (0m05.0s) is not a status line"',
		'     iterations...........: 5   1.004826/s',
		'',
	])('when it is another line ("%s"), then it is not taken for a status line', line => {
		expect(parseProgressLine(line)).toBeUndefined();
	});
});

describe('Given a scenario progress line', () => {
	test.each([
		{line: 'default   [  17% ] 10/10 VUs  0m05.0s/0m30.0s', expected: {scenario: 'default', percent: 17}},
		{line: 'default ✓ [ 100% ] 10 VUs  30s', expected: {scenario: 'default', percent: 100}},
		{line: 'checkout ✗ [   7% ] 2 VUs  02.2s/30s', expected: {scenario: 'checkout', percent: 7}},
		{line: 'later • [   0% ] waiting 10s', expected: {scenario: 'later', percent: 0}},
		{line: 'default ↓ [ 100% ] 2 VUs  4s', expected: {scenario: 'default', percent: 100}},
		{line: '     scenarios: (100.00%) 1 scenario, 2 max VUs, 34s max duration (incl. graceful stop):', expected: undefined},
	])('when it is "$line", then the scenario and percentage are $expected', ({line, expected}) => {
		expect(parseScenarioLine(line)).toEqual(expected);
	});
});

describe('Given k6 fixed-width durations', () => {
	test.each([
		['5.0s', 5], ['05.0s', 5], ['0m05.0s', 5], ['00m05.0s', 5], ['0h00m05.0s', 5], ['1h00m00.0s', 3600], ['2d00h00m00.0s', 172_800],
	])('"%s" is %d seconds', (text, seconds) => {
		expect(parseK6Duration(text)).toBe(seconds);
	});

	test('a malformed duration is unknown, not zero', () => {
		expect(parseK6Duration('5 seconds')).toBeNull();
	});
});
