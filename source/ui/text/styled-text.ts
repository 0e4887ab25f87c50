import {escapeControls} from '../../format/escape-controls.js';
import {textWidth} from '../../format/text-width.js';
import {toAscii} from '../glyphs.js';
import type {Colour} from '../palette.js';

export type Style = {colour?: Colour; bold?: boolean; dim?: boolean; underline?: boolean; inverse?: boolean};

/** A run of text in one style; a line of the screen is a list of them. */
export type Segment = {text: string; style?: Style};

export type Line = Segment[];

export const plain = (text: string): Segment => ({text});
export const styled = (text: string, style: Style): Segment => ({text, style});

export function widthOf(line: Line): number {
	return line.reduce((sum, segment) => sum + textWidth(segment.text), 0);
}

/** `text` padded or cut (with `ellipsis`) to exactly `width` columns, its control characters escaped first. */
export function fit(raw: string, width: number, align: 'left' | 'right' = 'left', ellipsis = '…'): string {
	if (width <= 0) {
		return '';
	}

	const text = escapeControls(raw);
	const visible = textWidth(text);
	if (visible > width) {
		let cut = '';
		let used = 0;
		const room = width - textWidth(ellipsis);
		for (const character of text) {
			const size = textWidth(character);
			if (used + size > room) {
				break;
			}

			cut += character;
			used += size;
		}

		return room < 0 ? ellipsis.slice(0, width) : cut + ellipsis + ' '.repeat(Math.max(0, room - used));
	}

	const space = ' '.repeat(width - visible);
	return align === 'right' ? space + text : text + space;
}

/**
 * The line cut to at most `width` columns; segments past the edge go, the one on it is cut. It is not padded:
 * Ink's output starts as blank rows, and every trailing space would be one more character for it to process.
 */
export function fitLine(line: Line, width: number, ellipsis = '…'): Line {
	const out: Line = [];
	let used = 0;
	for (const segment of line) {
		const size = textWidth(segment.text);
		if (used + size <= width) {
			out.push(segment);
			used += size;
			continue;
		}

		if (width - used > 0) {
			out.push({...segment, text: fit(segment.text, width - used, 'left', ellipsis)});
			used = width;
		}

		break;
	}

	return out;
}

const colourCodes: Record<string, number> = {
	black: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90, grey: 90,
};

/** SGR codes for a style; every styled segment is closed with a full reset, so nothing leaks into the next. */
function open(style: Style | undefined, colours: boolean): string {
	if (!style) {
		return '';
	}

	const codes: number[] = [];
	if (style.bold) {
		codes.push(1);
	}

	if (style.dim) {
		codes.push(2);
	}

	if (style.underline) {
		codes.push(4);
	}

	if (style.inverse) {
		codes.push(7);
	}

	const colour = style.colour === undefined ? undefined : colourCodes[style.colour];
	if (colours && colour !== undefined) {
		codes.push(colour);
	}

	return codes.length === 0 ? '' : `\u001B[${codes.join(';')}m`;
}

export type AnsiOptions = {colours: boolean; ascii: boolean};

/**
 * The line as terminal text. The one place every line of the monitor passes on its way to the terminal, so
 * this is where text from outside loses its control characters: the only escape sequences out are kmon's own.
 */
export function toAnsi(line: Line, options: AnsiOptions): string {
	let out = '';
	for (const segment of line) {
		const shown = escapeControls(segment.text);
		const text = options.ascii ? toAscii(shown) : shown;
		const start = open(segment.style, options.colours);
		out += start === '' ? text : `${start}${text}\u001B[0m`;
	}

	return out;
}
