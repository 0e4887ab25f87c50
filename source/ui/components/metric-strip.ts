import {textWidth} from '../../format/text-width.js';
import type {History} from '../../snapshot/types.js';
import type {Colour} from '../palette.js';
import {fit, type Line, plain, styled} from '../text/styled-text.js';
import type {Theme} from '../theme.js';
import type {RunCells} from '../model/run-cells.js';
import {sparkSegments} from './spark-segment.js';

export type Metric = {
	label: string;
	value: string;
	history?: History;
	colour?: Colour;
};

export type MetricLayout = {
	width: number;
	/** Most lines to use; metrics that do not fit are left out, last ones first. */
	lines: number;
	sparkWidth: number;
	/** Values are padded to this many columns so a changing value does not shift its neighbours. */
	valueWidth?: number;
	/** k6 runs in the window, marked on the sparklines. */
	runCells?: RunCells;
};

const spacing = 3;

/** Key figures as "label value sparkline", as many to a line as fit, in order. */
export function metricLines(metrics: Metric[], {width, lines, sparkWidth, valueWidth = 7, runCells}: MetricLayout, theme: Theme): Line[] {
	const widthOfValue = (metric: Metric) => Math.max(valueWidth, textWidth(metric.value));
	const widthOf = (metric: Metric) => textWidth(metric.label) + 1 + widthOfValue(metric) + (metric.history ? 1 + sparkWidth : 0);
	const rows: Metric[][] = [];
	let used = 0;
	for (const metric of metrics) {
		const needed = widthOf(metric);
		const row = rows.at(-1);
		if (row && used + spacing + needed <= width) {
			row.push(metric);
			used += spacing + needed;
		} else if (rows.length < lines && needed <= width) {
			rows.push([metric]);
			used = needed;
		}
	}

	return rows.map(row => row.flatMap((metric, index): Line => [
		...(index > 0 ? [plain(' '.repeat(spacing))] : []),
		styled(`${metric.label} `, {dim: true}),
		styled(fit(metric.value, widthOfValue(metric)), {colour: metric.colour, bold: true}),
		...(metric.history ? [plain(' '), ...sparkSegments(metric.history, sparkWidth, theme, {runCells})] : []),
	]));
}
