import type {Window} from '../snapshot/types.js';

/** Never ask for points closer than this: no common scrape interval is shorter. */
export const minimumStepSeconds = 5;

/**
 * When current values are evaluated for a poll at `now`: aligned down to the shortest common scrape interval,
 * because a sample can reach Prometheus after the time it carries (cAdvisor stamps its own), so a value at the
 * very instant of the poll could still change afterwards. Polls within one grain get the same answers.
 */
export function evaluationTime(now: Date): Date {
	const grain = minimumStepSeconds * 1000;
	return new Date(Math.floor(now.getTime() / grain) * grain);
}

/**
 * Milliseconds from `now` until a poll would ask something new: the next grain, which is also where any window
 * step ends (steps are whole grains). Every poll before then gets the answers of the last one.
 */
export function msUntilNewQueries(now: Date): number {
	const grainMs = minimumStepSeconds * 1000;
	return ((Math.floor(now.getTime() / grainMs) + 1) * grainMs) - now.getTime();
}

/**
 * The range-query window for a sparkline of `points` cells over `rangeMs`. The end is aligned down to a
 * multiple of the step, so successive polls ask for the same timestamps and points do not jitter. The step is
 * a whole number of grains: a step of, say, 19 s would move the window between grains and cost a poll of its
 * own three times a minute (16 cells over 5 minutes), to find samples no newer than the grain's.
 */
export function windowFor(now: Date, rangeMs: number, points: number): Window {
	const rangeSeconds = Math.round(rangeMs / 1000);
	const cells = Math.max(points, 1);
	const stepSeconds = minimumStepSeconds * Math.max(1, Math.ceil(rangeSeconds / cells / minimumStepSeconds));
	// Points are fence posts: n steps of the range have n + 1 of them, as far as the cells go.
	const count = Math.max(2, Math.min(cells, Math.floor(rangeSeconds / stepSeconds) + 1));
	const endSeconds = Math.floor(now.getTime() / 1000 / stepSeconds) * stepSeconds;
	const startSeconds = endSeconds - ((count - 1) * stepSeconds);
	return {
		start: new Date(startSeconds * 1000).toISOString(),
		end: new Date(endSeconds * 1000).toISOString(),
		stepSeconds,
		points: count,
		rangeSeconds,
	};
}

/** Places samples at their slot in the window; slots without a sample stay null. */
export function alignToWindow(window: Window, samples: Array<[seconds: number, value: number]>): Array<number | null> {
	const history: Array<number | null> = Array.from({length: window.points}, () => null);
	const startSeconds = Date.parse(window.start) / 1000;
	for (const [seconds, value] of samples) {
		const slot = Math.round((seconds - startSeconds) / window.stepSeconds);
		if (slot >= 0 && slot < window.points) {
			history[slot] = Number.isNaN(value) ? null : value;
		}
	}

	return history;
}
