/** Below this the tables cannot show a name and a value side by side. */
export const minimumSize = {columns: 60, rows: 12} as const;

export type ScreenLayout =
	| {fits: false; columns: number; rows: number}
	| {
		fits: true;
		/** Usable width: one column short of the terminal, so no line ever lands in the last cell and wraps. */
		width: number;
		/**
		 * Lines Ink may draw: one fewer than the terminal has. In Ink 6 a frame as tall as the terminal clears the
		 * screen and the scrollback on every update.
		 */
		height: number;
		/** Cells per sparkline, and so points per history requested from the data layer. */
		sparkWidth: number;
	};

/**
 * The screen's frame for a terminal size. Sparkline widths come in a few steps, so a resize by a column or
 * two does not change the query.
 */
export function screenLayout(columns: number, rows: number): ScreenLayout {
	if (columns < minimumSize.columns || rows < minimumSize.rows) {
		return {fits: false, columns, rows};
	}

	return {fits: true, width: columns - 1, height: rows - 1, sparkWidth: sparkWidthFor(columns)};
}

export function sparkWidthFor(columns: number): number {
	if (columns < 100) {
		return 10;
	}

	if (columns < 140) {
		return 16;
	}

	if (columns < 180) {
		return 24;
	}

	return 32;
}
