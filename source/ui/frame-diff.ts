/** What one write from Ink to the terminal means. */
export type InkWrite =
	/** Cursor show/hide, synchronized-output markers, an empty barrier write: passed on as they are. */
	| {kind: 'control'}
	/** Lines erased and nothing drawn (Ink's log.clear on a narrower terminal). */
	| {kind: 'clear'}
	/** A whole frame; `lines` without the trailing empty line. */
	| {kind: 'frame'; lines: string[]; endsWithNewline: boolean};

const escape = '\u001B';
const control = /^(?:\u001B\[\?(?:25|2026)[hl])*$/;
const clearTerminal = `${escape}[2J${escape}[3J${escape}[H`;
// Ink's eraseLines(n): "erase line, up" n−1 times, then "erase line, column 1".
const eraseLines = /^(?:\u001B\[2K\u001B\[1A)*\u001B\[2K\u001B\[G/;

/** Reads one write of Ink 6.8's standard (non-incremental) renderer. */
export function readInkWrite(text: string): InkWrite {
	if (control.test(text)) {
		return {kind: 'control'};
	}

	let content = text.startsWith(clearTerminal) ? text.slice(clearTerminal.length) : text;
	content = content.replace(eraseLines, '');
	if (content === '') {
		return {kind: 'clear'};
	}

	const endsWithNewline = content.endsWith('\n');
	const lines = content.split('\n');
	if (endsWithNewline) {
		lines.pop();
	}

	return {kind: 'frame', lines, endsWithNewline};
}

const moveTo = (row: number) => `${escape}[${row};1H`;
const eraseToLineEnd = `${escape}[K`;
const eraseBelow = `${escape}[J`;

/**
 * The bytes that turn `previous` (what is on screen from the top row, or null when unknown) into `next`:
 * only lines that differ, each at its absolute row, then everything below the frame erased when the frame
 * got shorter. The cursor is left where Ink's own renderer would leave it: below the frame.
 */
export function frameUpdate(previous: string[] | null, next: string[], endsWithNewline: boolean, rows = Number.POSITIVE_INFINITY): string {
	let out = '';
	for (const [index, line] of next.entries()) {
		// Rows below the terminal (a frame laid out for a taller terminal, just before a resize re-lays it out)
		// would all land on the last row.
		if (index >= rows) {
			break;
		}

		if (previous?.[index] !== line) {
			out += moveTo(index + 1) + line + eraseToLineEnd;
		}
	}

	// Rows the frame no longer reaches are erased, whether or not Ink ended it with a newline (after a
	// resize Ink writes a frame without one).
	const shrank = previous === null || previous.length > next.length;
	if (shrank && next.length < rows) {
		out += moveTo(next.length + 1) + eraseBelow;
	}

	// Park the cursor where Ink's renderer would: below a frame that ends in a newline, else on its last row.
	const below = endsWithNewline && next.length < rows;
	return out + moveTo(below ? next.length + 1 : Math.max(1, Math.min(rows, next.length)));
}
