import {describe, expect, test} from 'vitest';
import {combinedQuery, requestSize} from '../../source/prometheus/query-batch.js';

describe('Given a wave of queries to send to Prometheus', () => {
	test.each([
		// [queries in the wave, requests in flight at most, queries per request, requests]
		[1, 4, 1, 1],
		[3, 4, 3, 1],
		[4, 4, 4, 1],
		[8, 4, 4, 2],
		[15, 4, 4, 4],
		[32, 4, 8, 4],
		[32, 1, 32, 1],
		[100, 4, 25, 4],
		[200, 4, 32, 7],
	])('when %i queries may use %i requests, then each request carries %i (%i requests)', (count, parallel, size, requests) => {
		const perRequest = requestSize(count, {maxPerRequest: 32, parallel});
		expect(perRequest).toBe(size);
		expect(Math.ceil(count / perRequest)).toBe(requests);
	});

	test('when queries are combined, then each sits on lines of its own, so a # comment ends with its line', () => {
		expect(combinedQuery(['up # note', 'vector(1)'])).toBe(
			'label_replace(\nup # note\n, "kmon_batch_index", "0", "", "") or label_replace(\nvector(1)\n, "kmon_batch_index", "1", "", "")',
		);
	});
});
