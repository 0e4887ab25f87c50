import {describe, expect, test} from 'vitest';
import {combinedQuery} from '../../source/prometheus/query-batch.js';

describe('Given queries to send to Prometheus in one request', () => {
	test('when they are combined, then each sits on lines of its own, so a # comment ends with its line', () => {
		expect(combinedQuery(['up # note', 'vector(1)'])).toBe(
			'label_replace(\nup # note\n, "kmon_batch_index", "0", "", "") or label_replace(\nvector(1)\n, "kmon_batch_index", "1", "", "")',
		);
	});
});
