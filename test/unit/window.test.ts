import {describe, expect, test} from 'vitest';
import {alignToWindow, msUntilNewQueries, windowFor} from '../../source/prometheus/window.js';

describe('Given a 5 minute sparkline of 60 cells', () => {
	test('then the step is 5 s and the window ends on a multiple of it', () => {
		const window = windowFor(new Date('2026-11-24T10:00:07.300Z'), 300_000, 60);
		expect(window).toEqual({
			start: '2026-11-24T09:55:10.000Z',
			end: '2026-11-24T10:00:05.000Z',
			stepSeconds: 5,
			points: 60,
			rangeSeconds: 300,
		});
	});

	test('when two polls happen within one step, then they ask for the same points', () => {
		const first = windowFor(new Date('2026-11-24T10:00:05.100Z'), 300_000, 60);
		const second = windowFor(new Date('2026-11-24T10:00:09.900Z'), 300_000, 60);
		expect(second).toEqual(first);
	});

	test('when the sparkline is narrow, then the step grows so points never exceed cells', () => {
		const window = windowFor(new Date('2026-11-24T10:00:00Z'), 3_600_000, 20);
		expect(window.stepSeconds).toBe(180);
		expect(window.points).toBe(20);
	});
});

describe('Given samples with gaps', () => {
	test('then each lands in its slot and the gaps stay unknown', () => {
		const window = windowFor(new Date('2026-11-24T10:00:20Z'), 60_000, 12);
		const start = Date.parse(window.start) / 1000;
		const history = alignToWindow(window, [[start, 1], [start + 10, 3], [start + 15, Number.NaN]]);
		expect(history.slice(0, 5)).toEqual([1, null, 3, null, null]);
		expect(history).toHaveLength(window.points);
	});
});

describe('Given a 5 minute sparkline of 16 cells (120 columns)', () => {
	test('then the step is a whole number of 5-s grains and the 16 points span the 5 minutes', () => {
		const window = windowFor(new Date('2026-11-24T10:00:07.300Z'), 300_000, 16);
		expect(window).toEqual({
			start: '2026-11-24T09:55:00.000Z',
			end: '2026-11-24T10:00:00.000Z',
			stepSeconds: 20,
			points: 16,
			rangeSeconds: 300,
		});
	});

	test.each([
		{now: '2026-11-24T10:00:19.999Z', end: '2026-11-24T10:00:00.000Z'},
		{now: '2026-11-24T10:00:20.000Z', end: '2026-11-24T10:00:20.000Z'},
	])('when polled at $now, then the window ends at $end: only ever on a grain', ({now, end}) => {
		expect(windowFor(new Date(now), 300_000, 16).end).toBe(end);
	});
});

describe('Given a poll at some moment', () => {
	test.each([
		{now: 1_764_000_002_000, expected: 3000, why: 'the next 5-s grain is 3 s away'},
		{now: 1_764_000_004_999, expected: 1, why: 'the next grain is a millisecond away'},
		{now: 1_764_000_005_000, expected: 5000, why: 'on a grain boundary, the next is a whole grain away'},
	])('then new queries are due in $expected ms: $why', ({now, expected}) => {
		expect(msUntilNewQueries(new Date(now))).toBe(expected);
	});
});
