import {escapeControls} from '../format/escape-controls.js';
import {textWidth} from '../format/text-width.js';

export type Column<Row> = {
	header: string;
	cell: (row: Row) => string;
	align?: 'left' | 'right';
	/** Lower numbers are dropped last when the width is short; the first column is never dropped. */
	priority: number;
};

/** Which columns fit in `width`, dropping the least important first. */
export function fitColumns<Row>(columns: Array<Column<Row>>, rows: Row[], width: number): Array<Column<Row> & {width: number}> {
	const measured = columns.map(column => ({
		...column,
		width: Math.max(textWidth(column.header), ...rows.map(row => textWidth(column.cell(row)))),
	}));
	const kept = [...measured];
	const total = () => kept.reduce((sum, column) => sum + column.width, 0) + (2 * (kept.length - 1));
	while (total() > width && kept.length > 1) {
		const leastImportant = kept.slice(1).reduce((worst, column) => column.priority > worst.priority ? column : worst);
		kept.splice(kept.indexOf(leastImportant), 1);
	}

	const overflow = total() - width;
	if (overflow > 0) {
		kept[0]!.width = Math.max(4, kept[0]!.width - overflow);
	}

	return kept;
}

/** The cell padded or cut to `width` columns, its control characters escaped first (the widths count them so). */
export function pad(raw: string, width: number, align: 'left' | 'right' = 'left'): string {
	const text = escapeControls(raw);
	const visible = textWidth(text);
	if (visible > width) {
		return `${[...text].slice(0, Math.max(0, width - 1)).join('')}…`;
	}

	const space = ' '.repeat(width - visible);
	return align === 'right' ? space + text : text + space;
}

/** A plain-text table, sized to `width`. */
export function renderTable<Row>(columns: Array<Column<Row>>, rows: Row[], width: number): string[] {
	const fitted = fitColumns(columns, rows, width);
	const line = (cells: string[]) => cells.map((cell, index) => pad(cell, fitted[index]!.width, fitted[index]!.align)).join('  ').trimEnd();
	return [
		line(fitted.map(column => column.header)),
		...rows.map(row => line(fitted.map(column => column.cell(row)))),
	];
}
