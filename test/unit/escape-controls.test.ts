import stringWidth from 'string-width';
import {describe, expect, test} from 'vitest';
import {escapeControls, jsonText} from '../../source/format/escape-controls.js';
import {textWidth} from '../../source/format/text-width.js';
import {renderTable} from '../../source/report/table.js';
import {fit, fitLine, plain, toAnsi, widthOf} from '../../source/ui/text/styled-text.js';

// What an outside text could carry to take over a terminal, and how kmon shows it instead.
const hostile: Array<[string, string, string]> = [
	['an OSC title change ended by BEL, then a screen clear', 'name:evil\u001B]0;PWNED\u0007\u001B[2Jx', 'name:evil\\e]0;PWNED\\x07\\e[2Jx'],
	['an OSC 8 hyperlink ended by ST', '\u001B]8;;https://evil.example\u001B\\click\u001B]8;;\u001B\\', '\\e]8;;https://evil.example\\e\\click\\e]8;;\\e\\'],
	['a CSI cursor move and erase line', 'a\u001B[1;1H\u001B[2Kb', 'a\\e[1;1H\\e[2Kb'],
	['an SGR colour (not kmon\'s own)', '\u001B[31mred\u001B[0m', '\\e[31mred\\e[0m'],
	['a DCS string', '\u001BP1$r0m\u001B\\', '\\eP1$r0m\\e\\'],
	['a carriage return that would overwrite the line', 'ok\rFAIL', 'ok\\rFAIL'],
	['a newline and a tab', 'one\ntwo\tthree', 'one\\ntwo\\tthree'],
	['a backspace, NUL and a bell', 'a\bb\u0000c\u0007', 'a\\x08b\\x00c\\x07'],
	['DEL', 'x\u007Fy', 'x\\x7fy'],
	['an 8-bit CSI (C1) clearing the screen', 'x\u009B2Jy', 'x\\x9b2Jy'],
	['C1 NEL and OSC', '\u0085\u009D0;t\u009C', '\\x85\\x9d0;t\\x9c'],
	['a right-to-left override hiding an extension', 'invoice\u202Egpj.exe', 'invoice\\u202egpj.exe'],
	['every bidi embedding, override and isolate', '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069', '\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069'],
];

// Text that is not a control and must reach the screen as it is.
const harmless: Array<[string, string]> = [
	['plain ASCII with a backslash', 'C:\\temp\\e'],
	['wide CJK and an emoji', '消费者组 🔥'],
	['a combining accent', 'cafe\u0301'],
	['Arabic and Hebrew letters (right-to-left text, no override)', 'مرحبا שלום'],
	['a zero-width joiner sequence', '👩‍💻'],
	['the sparkline blocks and kmon glyphs', '▁▂▃▄▅▆▇█ … › –'],
];

describe('Given text from outside that carries terminal controls', () => {
	test.each(hostile)('when it is %s, then every control shows as a visible escape', (_case, text, shown) => {
		expect(escapeControls(text)).toBe(shown);
		expect(escapeControls(text)).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
	});

	test.each(hostile)('when it is %s, then escaping it again changes nothing', (_case, text) => {
		expect(escapeControls(escapeControls(text))).toBe(escapeControls(text));
	});

	test.each(hostile)('when it is %s, then its width on screen is that of the escaped text', (_case, text, shown) => {
		expect(textWidth(text)).toBe(shown.length);
	});
});

describe('Given text from outside without controls', () => {
	test.each(harmless)('when it is %s, then it is shown unchanged and measured as string-width does', (_case, text) => {
		expect(escapeControls(text)).toBe(text);
		expect(textWidth(text)).toBe(stringWidth(text));
	});
});

describe('Given a screen line holding a hostile tag value', () => {
	const value = 'name:evil\u001B]0;PWNED\u0007\u001B[2Jx';
	const shown = 'name:evil\\e]0;PWNED\\x07\\e[2Jx';

	test('when it is fitted to a cell, then the cell is the escaped text padded to its width', () => {
		expect(fit(value, 40)).toBe(shown.padEnd(40));
		expect(fit(value, 40, 'right')).toBe(shown.padStart(40));
	});

	test('when the cell is too narrow, then the escaped text is cut, and no raw control survives the cut', () => {
		const cut = fit(value, 12);
		expect(cut).toBe(`${shown.slice(0, 11)}…`);
		expect(textWidth(cut)).toBe(12);
	});

	test('when the line is fitted and drawn, then its only escape sequences are kmon\'s own colours', () => {
		const line = [plain('k6 '), {text: value, style: {colour: 'red' as const}}, plain(' end')];
		expect(widthOf(line)).toBe(3 + shown.length + 4);
		const drawn = toAnsi(fitLine(line, 200), {colours: true, ascii: false});
		expect(drawn).toBe(`k6 \u001B[31m${shown}\u001B[0m end`);
		expect(toAnsi(fitLine(line, 20), {colours: false, ascii: true})).toBe(`k6 ${shown.slice(0, 16)}~`);
	});

	test('when it is a cell of a text table, then the columns line up on the escaped text', () => {
		const rows = [{name: value, rate: '12/s'}, {name: 'plain', rate: '3/s'}];
		const lines = renderTable([
			{header: 'NAME', cell: (row: typeof rows[number]) => row.name, priority: 0},
			{header: 'RATE', cell: (row: typeof rows[number]) => row.rate, align: 'right', priority: 0},
		], rows, 120);
		expect(lines).toEqual([
			`${'NAME'.padEnd(shown.length)}  RATE`,
			`${shown}  12/s`,
			`${'plain'.padEnd(shown.length)}   3/s`,
		]);
	});
});

describe('Given a value holding every control as JSON', () => {
	const value = {texts: hostile.map(([, text]) => text), harmless: harmless.map(([, text]) => text)};

	test('when it is written as kmon\'s JSON, then it has no raw control and reads back as the very same value', () => {
		const json = jsonText(value);
		expect(json).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
		expect(JSON.parse(json)).toEqual(value);
		expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(value)));
		expect(json).toContain('invoice\\u202egpj.exe');
	});
});
