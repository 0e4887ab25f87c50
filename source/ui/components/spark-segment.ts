import type {History} from '../../snapshot/types.js';
import type {RunCells} from '../model/run-cells.js';
import {sparklineText} from '../sparkline-text.js';
import {type Segment, styled} from '../text/styled-text.js';
import type {Theme} from '../theme.js';

/**
 * A history as a sparkline `width` cells wide. Cells inside a k6 run are underlined in the run colour, so
 * the effect of the load on lag or CPU shows on every chart (underline stays visible without colour).
 */
export function sparkSegments(history: History, width: number, theme: Theme, options: {inverse?: boolean; runCells?: RunCells} = {}): Segment[] {
	const {inverse = false, runCells} = options;
	const text = [...sparklineText(history, width, theme.glyphs.ramp, theme.glyphs.gap)];
	const plainStyle = {colour: theme.palette.spark, inverse};
	const cells = runCells?.(history.length);
	if (!cells) {
		return [styled(text.join(''), plainStyle)];
	}

	// The drawn cells are the newest `width` points, right-aligned: line them up with the history.
	const offset = history.length - text.length;
	const runStyle = {colour: theme.palette.run, underline: true, inverse};
	const segments: Segment[] = [];
	for (const [index, character] of text.entries()) {
		const inRun = cells[index + offset] ?? false;
		const last = segments.at(-1);
		const style = inRun ? runStyle : plainStyle;
		if (last?.style === style) {
			last.text += character;
		} else {
			segments.push({text: character, style});
		}
	}

	return segments;
}
