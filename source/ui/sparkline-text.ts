import type {History} from '../snapshot/types.js';

/**
 * A history as `width` characters of `ramp`, newest on the right. The scale starts at zero (or the lowest
 * value when negative), so a flat line keeps its height; any value above the floor gets at least the second
 * level, so "a little" never looks like "nothing". Unknown points are `gap`, and so is the part of the width
 * the history does not reach: no data is drawn as no data.
 */
export function sparklineText(history: History, width: number, ramp: readonly string[], gap: string): string {
	const points = history.slice(-width);
	const known = points.filter((value): value is number => value !== null && !Number.isNaN(value) && Number.isFinite(value));
	const padding = gap.repeat(Math.max(0, width - points.length));
	if (known.length === 0) {
		return padding + points.map(value => levelOfInfinite(value, ramp) ?? gap).join('');
	}

	const top = ramp.length - 1;
	const low = Math.min(0, ...known);
	const high = Math.max(...known);
	const span = high - low;
	const level = (value: number) => {
		if (span === 0) {
			return high === 0 ? 0 : top;
		}

		const scaled = Math.round(((value - low) / span) * top);
		return value > low ? Math.max(1, scaled) : 0;
	};

	return padding + points.map(value => {
		if (value === null || Number.isNaN(value)) {
			return gap;
		}

		return levelOfInfinite(value, ramp) ?? ramp[level(value)]!;
	}).join('');
}

/** +Infinity is "above the largest bucket" (a histogram overflow): the top level, not a gap. */
function levelOfInfinite(value: number | null, ramp: readonly string[]): string | undefined {
	if (value === Number.POSITIVE_INFINITY) {
		return ramp.at(-1);
	}

	if (value === Number.NEGATIVE_INFINITY) {
		return ramp[0];
	}

	return undefined;
}
