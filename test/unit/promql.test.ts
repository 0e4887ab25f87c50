import {describe, expect, test} from 'vitest';
import {anyOf, isLabelName, quoteLabelValue} from '../../source/prometheus/promql.js';

describe('Given text from a user or from Prometheus that ends up in a label matcher', () => {
	test.each([
		['plain', '"plain"'],
		['say "hi"', String.raw`"say \"hi\""`],
		[String.raw`back\slash`, String.raw`"back\\slash"`],
		['"} or vector(1) #', String.raw`"\"} or vector(1) #"`],
		['line\nbreak', String.raw`"line\nbreak"`],
	])('then %j is quoted as the single literal %s', (value, expected) => {
		expect(quoteLabelValue(value)).toBe(expected);
	});

	test('then a regex of several values matches each value literally', () => {
		const pattern = anyOf(['/a.b', 'x|y', 'p(1)']);
		expect(pattern).toBe(String.raw`"/a\\.b|x\\|y|p\\(1\\)"`);
		// What Prometheus sees after unquoting is an anchored RE2 alternation of the literal values.
		const regex = new RegExp(`^(?:${JSON.parse(pattern) as string})$`);
		expect(['/a.b', 'x|y', 'p(1)'].every(value => regex.test(value))).toBe(true);
		expect(regex.test('/aXb')).toBe(false);
	});

	test.each([['name', true], ['_x1', true], ['1a', false], ['a-b', false], ['a"} or', false]])('then %j is a label name: %s', (name, expected) => {
		expect(isLabelName(name)).toBe(expected);
	});
});
