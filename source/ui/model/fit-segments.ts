import {textWidth} from '../../format/text-width.js';

export type Segment = {text: string; priority: number};

/**
 * The segments that fit in `width` when joined by `separatorWidth` cells, in their order, dropping the highest
 * priority numbers first (the last of equals first).
 */
export function fitSegments<S extends Segment>(segments: S[], width: number, separatorWidth: number): S[] {
	const kept = [...segments];
	const total = () => kept.reduce((sum, segment) => sum + textWidth(segment.text), 0) + (separatorWidth * Math.max(0, kept.length - 1));
	while (kept.length > 1 && total() > width) {
		let drop = kept.length - 1;
		for (let index = kept.length - 1; index >= 0; index--) {
			if (kept[index]!.priority > kept[drop]!.priority) {
				drop = index;
			}
		}

		kept.splice(drop, 1);
	}

	return kept;
}
