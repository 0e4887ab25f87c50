import {describe, expect, test} from 'vitest';
import {asciiGlyphs, prefersAscii, unicodeGlyphs} from '../../source/ui/glyphs.js';
import {sparklineText} from '../../source/ui/sparkline-text.js';

const blocks = unicodeGlyphs.ramp;
const draw = (history: Array<number | null>, width = history.length) => sparklineText(history, width, blocks, ' ');

describe('Given a history to draw as a sparkline', () => {
	test.each([
		['unknown points are gaps, never the zero level', [0, null, 4, null], '▁ █ '],
		['all zero is the lowest level', [0, 0, 0], '▁▁▁'],
		['a flat non-zero line keeps its height', [5, 5, 5], '███'],
		['a small non-zero value never looks like zero', [0, 1, 1000], '▁▂█'],
		['the scale starts at zero', [50, 100], '▅█'],
		['nothing known is all gaps', [null, null], '  '],
		['+Infinity (above the largest bucket) is the top level', [1, Number.POSITIVE_INFINITY], '██'],
		['NaN is a gap', [1, Number.NaN], '█ '],
	])('when %s, then it reads %j', (_, history, expected) => {
		expect(draw(history)).toBe(expected);
	});

	test('when the history is shorter than the width, then the missing start is blank, newest on the right', () => {
		expect(draw([1, 2], 4)).toBe('  ▅█');
	});

	test('when the history is longer than the width, then the newest points are drawn', () => {
		expect(draw([100, 0, 0, 1], 2)).toBe('▁█');
	});

	test('when drawn in ASCII, then only ASCII characters appear', () => {
		const text = sparklineText([0, 1, 2, 3, 4, 5, 6, 7, null], 9, asciiGlyphs.ramp, asciiGlyphs.gap);
		expect(text).toMatch(/^[\u0020-\u007E]+$/);
		expect(text).toBe('_.-:=+*# ');
	});
});

describe('Given the environment of the terminal', () => {
	test.each([
		[false, {LANG: 'en_US.UTF-8'}, false],
		[false, {LC_ALL: 'C.utf8'}, false],
		[false, {LANG: 'C'}, true],
		[false, {}, true],
		[false, {LC_ALL: 'C', LANG: 'en_US.UTF-8'}, true],
		[true, {LANG: 'en_US.UTF-8'}, true],
	])('when --ascii is %j and the locale is %j, then ASCII is %j', (asked, env, ascii) => {
		expect(prefersAscii(asked, env)).toBe(ascii);
	});
});
