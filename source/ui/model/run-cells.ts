import type {RunMarker, Window} from '../../snapshot/types.js';

/** For a history of some length: which of its points fall inside a k6 run (true), for the sparkline marks. */
export type RunCells = (length: number) => boolean[] | null;

/**
 * Point k of a history ending at `window.end` is the value at its time, covering the step before it; a run
 * that overlaps that step marks the point. Null when no run touches the window, so sparklines stay plain.
 */
export function runCellsFor(window: Window, runs: readonly RunMarker[] | undefined, now: number): RunCells {
	const spans = (runs ?? []).map(run => [Date.parse(run.startedAt), run.endedAt === null ? now : Date.parse(run.endedAt)] as const);
	const step = window.stepSeconds * 1000;
	const end = Date.parse(window.end);
	const cache = new Map<number, boolean[] | null>();
	return length => {
		if (spans.length === 0) {
			return null;
		}

		let cells = cache.get(length);
		if (cells === undefined) {
			cells = Array.from({length}, (_, index) => {
				const at = end - ((length - 1 - index) * step);
				return spans.some(([start, stop]) => start < at && stop > at - step);
			});
			cache.set(length, cells);
		}

		return cells;
	};
}
