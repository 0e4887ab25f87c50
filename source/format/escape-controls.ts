/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts every CSI, OSC, DCS… sequence, BEL
 * ends OSC), DEL, C1 controls (U+009B is a one-character CSI on terminals that take 8-bit controls), and the
 * bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that reorder the text after them.
 */
const controls = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

const named: Record<string, string> = {'\u001B': '\\e', '\t': '\\t', '\n': '\\n', '\r': '\\r'};

function escapeOne(character: string): string {
	const code = character.codePointAt(0)!;
	return named[character] ?? (code <= 0xFF ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
}

/**
 * Text kmon did not write (tag values, group and topic names, container names, errors, k6's lines), made safe
 * to put on a terminal: every control character becomes a visible escape (`\e`, `\x07`, `\u202e`), so an escape
 * sequence shows as text instead of clearing the screen or setting the window title. Only the controls change:
 * the result is printable, so escaping it again changes nothing, and a backslash already in the text stays one.
 */
export function escapeControls(text: string): string {
	return text.replace(controls, escapeOne);
}

/** The controls JSON.stringify leaves raw in strings (it escapes only C0): DEL, C1 and the bidi controls. */
const rawInJson = /[\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * `value` as indented JSON with no control character a terminal would act on: those JSON.stringify leaves raw
 * are written as \u escapes, so the JSON means exactly the same and can still be printed to a terminal.
 */
export function jsonText(value: unknown): string {
	return JSON.stringify(value, null, 2).replace(rawInJson, character => `\\u${character.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}
