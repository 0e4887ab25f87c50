import {describe, expect, test} from 'vitest';
import {groupStatus, lagTrend, secondsToDrain} from '../../source/domains/kafka/group-status.js';

const none = {lagging: 0, stalled: 0, growing: 0, rewound: 0};

describe('Given a consumer group evaluated over a 5 minute window', () => {
	test.each([
		{case: 'its series vanished', input: {counts: none, members: null, gone: true}, status: 'GONE'},
		{case: 'a committed offset went backwards', input: {counts: {...none, lagging: 1, rewound: 1}, members: 1, gone: false}, status: 'REWIND'},
		{case: 'offsets stood still with lag and nobody in the group', input: {counts: {...none, lagging: 2, stalled: 2}, members: 0, gone: false}, status: 'STOP'},
		{case: 'offsets stood still with lag while members are present', input: {counts: {...none, lagging: 2, stalled: 1}, members: 3, gone: false}, status: 'STALL'},
		{case: 'lag never reached zero and grew', input: {counts: {...none, lagging: 1, growing: 1}, members: 1, gone: false}, status: 'WARN'},
		{case: 'lag is above zero but going down', input: {counts: {...none, lagging: 3}, members: 1, gone: false}, status: 'OK'},
		{case: 'lag reached zero', input: {counts: none, members: 1, gone: false}, status: 'OK'},
	])('when $case, then the status is $status', ({input, status}) => {
		const result = groupStatus({...input, windowText: '5m'});
		expect(result.status).toBe(status);
		expect(result.reason.length).toBeGreaterThan(10);
	});
});

describe('Given a lag history', () => {
	test.each([
		{case: 'rising', history: [0, 10, 20, 30, 40, 50], trend: 'growing'},
		{case: 'falling', history: [500, 400, 300, 200, 100, 50], trend: 'draining'},
		{case: 'steady with noise under 1 %', history: [1000, 1002, 999, 1001, 1000, 1000], trend: 'flat'},
		{case: 'rising with gaps', history: [null, 10, null, 30, 40, 50], trend: 'growing'},
	])('when it is $case, then the trend is $trend', ({history, trend}) => {
		expect(lagTrend(history, 5)?.trend).toBe(trend);
	});

	test('when fewer than three points are known, then the trend is unknown', () => {
		expect(lagTrend([null, null, 5, null, 7, null], 5)).toBeNull();
	});
});

describe('Time to drain', () => {
	test.each([
		{lag: 1000, consume: 150, produce: 50, expected: 10},
		{lag: 1000, consume: 50, produce: 50, expected: null},
		{lag: 1000, consume: 10, produce: 50, expected: null},
		{lag: 0, consume: 100, produce: 50, expected: null},
		{lag: null, consume: 100, produce: 50, expected: null},
		{lag: 1000, consume: null, produce: 50, expected: null},
	])('lag $lag, consuming $consume/s, producing $produce/s → $expected s', ({lag, consume, produce, expected}) => {
		expect(secondsToDrain(lag, consume, produce)).toBe(expected);
	});
});
