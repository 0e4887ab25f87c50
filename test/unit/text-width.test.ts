import stringWidth from 'string-width';
import {describe, expect, test} from 'vitest';
import {textWidth} from '../../source/format/text-width.js';

// Texts with control characters are measured as kmon shows them, escaped: escape-controls.test.ts.
describe('Given texts the screen measures', () => {
	test.each([
		['plain ASCII', 'loadtest0-worker-1 116%', 23],
		['an empty text', '', 0],
		['sparkline blocks', '▁▂▃▄▅▆▇█', 8],
		['wide CJK', '消费者组', 8],
		['an emoji', '🔥 hot', 6],
		['a combining accent', 'cafe\u0301', 4],
	])('when the text is %s, then its width is what string-width counts (%j → %d)', (_name, text, expected) => {
		expect(textWidth(text)).toBe(expected);
		expect(textWidth(text)).toBe(stringWidth(text));
	});

	test('when more distinct texts are measured than are remembered, then widths stay right', () => {
		for (let index = 0; index < 3000; index++) {
			const text = `▁${'█'.repeat(index % 40)}消${index}`;
			expect(textWidth(text)).toBe(stringWidth(text));
		}
	});
});
