import {describe, expect, test} from 'vitest';
import {formatBytes, formatCount, formatMilliseconds, formatPercent, formatSpan} from '../../source/format/units.js';

describe('Given unknown values', () => {
	test.each([formatBytes, formatCount, formatMilliseconds, formatPercent, formatSpan])('then %o shows a dash, never 0', format => {
		expect(format(null)).toBe('–');
	});
});

describe('Given known values', () => {
	test.each([
		[formatBytes(0), '0 B'], [formatBytes(1536), '1.5 KB'], [formatBytes(512 * 1024 * 1024), '512 MB'],
		[formatCount(0), '0'], [formatCount(12.4), '12'], [formatCount(1234), '1.2k'], [formatCount(25_000), '25k'], [formatCount(0.25), '0.25'],
		[formatPercent(3.14), '3.1%'], [formatPercent(42.4), '42%'],
		[formatMilliseconds(2.5), '2.5ms'], [formatMilliseconds(250), '250ms'], [formatMilliseconds(2500), '2.5s'], [formatMilliseconds(Number.POSITIVE_INFINITY), '>max'],
		[formatSpan(42), '42s'], [formatSpan(300), '5m'], [formatSpan(90), '1m30s'], [formatSpan(3725), '1h02m'],
	])('then it reads %j (expected %j)', (actual, expected) => {
		expect(actual).toBe(expected);
	});
});
