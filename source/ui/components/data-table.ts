import {type Column, fitColumns} from '../../report/table.js';
import type {History} from '../../snapshot/types.js';
import type {Colour} from '../palette.js';
import {fit, type Line, plain, styled} from '../text/styled-text.js';
import type {Theme} from '../theme.js';
import type {RunCells} from '../model/run-cells.js';
import {sparkSegments} from './spark-segment.js';

export type TableColumn<Row> = Column<Row> & {
	/** A history drawn as a sparkline in this column; `cell` then only reserves its width. */
	history?: (row: Row) => History;
	colour?: (row: Row) => Colour;
};

/** A sparkline column `width` cells wide. */
export function sparkColumn<Row>(header: string, history: (row: Row) => History, width: number, priority: number): TableColumn<Row> {
	const blank = ' '.repeat(width);
	return {header, cell: () => blank, history, priority};
}

export type DataTableProps<Row> = {
	columns: Array<TableColumn<Row>>;
	rows: Row[];
	rowKey: (row: Row) => string;
	/** Null selects the first row, as the key bindings do. */
	selectedKey: string | null;
	width: number;
	/** Lines including the header. */
	height: number;
	/** Rows drawn dim, such as consumer groups that are gone. */
	muted?: (row: Row) => boolean;
	/** Said instead of rows when a filter leaves none. */
	emptyText?: string;
	/** k6 runs in the window, marked on the sparklines. */
	runCells?: RunCells;
};

const gap = '  ';
const markerWidth = 2;

/**
 * A table that fits its box: columns dropped by priority (the same fitting as --once), rows paged so the
 * selected one is always visible, a marker on the selected row that survives NO_COLOR and tmux captures.
 */
export function tableLines<Row>({columns, rows, rowKey, selectedKey, width, height, muted, emptyText, runCells}: DataTableProps<Row>, theme: Theme): Line[] {
	if (height <= 0) {
		return [];
	}

	// fitColumns keeps each column's own fields (it spreads them); its type only names the shared ones.
	const fitted = fitColumns(columns, rows, width - markerWidth) as Array<TableColumn<Row> & {width: number}>;
	const visible = Math.max(1, height - 1);
	const selectedIndex = Math.max(0, rows.findIndex(row => rowKey(row) === selectedKey));
	const first = Math.floor(selectedIndex / visible) * visible;
	const ellipsis = theme.glyphs.ellipsis;
	const header: Line = [plain(' '.repeat(markerWidth)), ...fitted.map((column, index) =>
		styled(fit(column.header, column.width, column.align, ellipsis) + (index < fitted.length - 1 ? gap : ''), {bold: true}))];
	if (rows.length === 0) {
		return emptyText ? [header, [styled(`  ${emptyText}`, {dim: true})]] : [header];
	}

	const body = rows.slice(first, first + visible).map((row, offset): Line => {
		const selected = first + offset === selectedIndex;
		const dim = muted?.(row) ?? false;
		return [
			styled(selected ? `${theme.glyphs.selected} ` : ' '.repeat(markerWidth), {bold: selected}),
			...fitted.flatMap((column, index) => {
				const after = index < fitted.length - 1 ? [styled(gap, {inverse: selected})] : [];
				if (column.history) {
					return [...sparkSegments(column.history(row), column.width, theme, {inverse: selected, runCells}), ...after];
				}

				return [
					styled(fit(column.cell(row), column.width, column.align, ellipsis), {colour: column.colour?.(row), dim, inverse: selected}),
					...after,
				];
			}),
		];
	});
	return [header, ...body];
}
