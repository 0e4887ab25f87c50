import {describe, expect, test} from 'vitest';
import {frameUpdate, readInkWrite} from '../../source/ui/frame-diff.js';
import {coarseAge} from '../../source/ui/model/data-age.js';

const escape = '\u001B';
const eraseLines = (count: number) => `${`${escape}[2K${escape}[1A`.repeat(count - 1)}${escape}[2K${escape}[G`;

describe('Given writes of Ink 6.8 standard renderer', () => {
	test.each([
		['a first frame', 'a\nb\n', {kind: 'frame', lines: ['a', 'b'], endsWithNewline: true}],
		['a later frame', `${eraseLines(3)}a\nc\n`, {kind: 'frame', lines: ['a', 'c'], endsWithNewline: true}],
		['a full-height frame', `${escape}[2J${escape}[3J${escape}[Ha\nb`, {kind: 'frame', lines: ['a', 'b'], endsWithNewline: false}],
		['a clear', eraseLines(4), {kind: 'clear'}],
		['cursor and synchronized-output markers', `${escape}[?25l`, {kind: 'control'}],
		['the empty barrier write', '', {kind: 'control'}],
	])('when Ink writes %s, then it reads as %j', (_, text, expected) => {
		expect(readInkWrite(text)).toEqual(expected);
	});
});

describe('Given what is on screen and the next frame', () => {
	test('when nothing is known, then every line is drawn at its row and the rest erased', () => {
		expect(frameUpdate(null, ['a', 'b'], true)).toBe(`${escape}[1;1Ha${escape}[K${escape}[2;1Hb${escape}[K${escape}[3;1H${escape}[J${escape}[3;1H`);
	});

	test('when one line changed, then only that line is written', () => {
		expect(frameUpdate(['a', 'b', 'c'], ['a', 'B', 'c'], true)).toBe(`${escape}[2;1HB${escape}[K${escape}[4;1H`);
	});

	test('when the frame got shorter, then the rows below it are erased', () => {
		expect(frameUpdate(['a', 'b', 'c'], ['a'], true)).toBe(`${escape}[2;1H${escape}[J${escape}[2;1H`);
	});

	test('when the frame is taller than the terminal, then rows past the bottom are not written', () => {
		expect(frameUpdate(null, ['a', 'b', 'c'], true, 2)).toBe(`${escape}[1;1Ha${escape}[K${escape}[2;1Hb${escape}[K${escape}[2;1H`);
	});
});

describe('Given the age of the data', () => {
	test.each([
		[0, '<5s', 5000], [4900, '<5s', 100], [12_000, '10s', 3000], [61_000, '1m', 59_000], [3_600_000, '1h', 3_600_000], [30 * 86_400_000, '1w', null],
	])('when it is %d ms old, then it reads %j and changes in %j ms', (ageMs, label, changesInMs) => {
		expect(coarseAge(ageMs)).toEqual({label, changesInMs});
	});
});
