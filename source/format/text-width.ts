import stringWidth from 'string-width';
import {escapeControls} from './escape-controls.js';

/** Printable ASCII: one column per character. */
const printableAscii = /^[\u0020-\u007E]*$/;

/** Widths of other texts seen, bounded: a screen's labels and glyphs repeat, its sparklines change every poll. */
const widths = new Map<string, number>();
const maxRemembered = 1024;

/**
 * The columns `text` takes in a terminal as kmon shows it: with its control characters escaped
 * (escape-controls.ts), where string-width alone would count an escape sequence as nothing. A frame asks this
 * of every segment of every line, and string-width segments graphemes for each call (58 ms a minute in a
 * profile of the monitor at the small bench size, more than all of kmon's view code), so plain ASCII, most of
 * the screen, is counted by its length, and other texts are measured once.
 */
export function textWidth(text: string): number {
	if (printableAscii.test(text)) {
		return text.length;
	}

	let width = widths.get(text);
	if (width === undefined) {
		if (widths.size >= maxRemembered) {
			widths.clear();
		}

		width = stringWidth(escapeControls(text));
		widths.set(text, width);
	}

	return width;
}
