/** Every non-letter character the screen draws, in a Unicode and an ASCII set. */
export type Glyphs = {
	/** True for the ASCII set: text from the data (dashes, ellipses) is transliterated too. */
	asciiOnly: boolean;
	ellipsis: string;
	/** Sparkline levels, lowest first. */
	ramp: readonly string[];
	/** A sparkline point with no data: unknown is drawn as nothing, never as the lowest level (zero). */
	gap: string;
	selected: string;
	separator: string;
	error: string;
	warning: string;
	info: string;
	growing: string;
	draining: string;
	flat: string;
	up: string;
	down: string;
};

export const unicodeGlyphs: Glyphs = {
	asciiOnly: false,
	ellipsis: '…',
	ramp: ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'],
	gap: ' ',
	selected: '›',
	separator: ' · ',
	error: '✖',
	// Not ⚠: many terminals draw it as a two-cell emoji while string-width counts one cell.
	warning: '▲',
	info: '•',
	growing: '↑',
	draining: '↓',
	flat: '→',
	up: '↑',
	down: '↓',
};

export const asciiGlyphs: Glyphs = {
	asciiOnly: true,
	ellipsis: '...',
	ramp: ['_', '.', '-', ':', '=', '+', '*', '#'],
	gap: ' ',
	selected: '>',
	separator: ' | ',
	error: 'x',
	warning: '!',
	info: '*',
	growing: '^',
	draining: 'v',
	flat: '-',
	up: 'Up/',
	down: 'Dn',
};

/**
 * ASCII when asked for (--ascii), or when the locale does not say UTF-8: a terminal in the C locale, or an SSH
 * session that forwarded no LANG, shows block characters as garbage.
 */
export function prefersAscii(asked: boolean, env: NodeJS.ProcessEnv): boolean {
	if (asked) {
		return true;
	}

	const locale = env['LC_ALL'] || env['LC_CTYPE'] || env['LANG'] || '';
	return !/utf-?8/i.test(locale);
}

const asciiFor: Record<string, string> = {
	'…': '~', '–': '-', '—': '-', '·': '|', '’': "'", '‘': "'", '“': '"', '”': '"', '→': '-', '↑': '^', '↓': 'v', '×': 'x',
};

/**
 * Text with every character outside ASCII replaced, one cell for one cell so widths stay right. Data-layer
 * text (the "–" of unknown values, dashes in fixes, "…" of cut cells) passes through here in ASCII mode.
 */
export function toAscii(text: string): string {
	return /^[\u0000-\u007F]*$/.test(text) ? text : [...text].map(character => character <= '\u007F' ? character : asciiFor[character] ?? '?').join('');
}
