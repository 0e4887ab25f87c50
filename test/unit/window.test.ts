import {describe, expect, test} from 'vitest';
import {alignToWindow, windowFor} from '../../source/prometheus/window.js';

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
