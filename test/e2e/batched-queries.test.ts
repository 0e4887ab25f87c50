import {describe, expect, test} from 'vitest';
import {PrometheusClient} from '../../source/prometheus/client.js';
import {allDomains, type CollectOptions, collectSnapshot, type PollMemo} from '../../source/snapshot/collect.js';
import {prometheusUrl} from '../support/stack.js';

// kmon sends the queries of one turn as one request (source/prometheus/query-batch.ts). These tests
// hold it to what the real Prometheus of the test stack answers to each query sent alone.

const clientWith = (batchSize: number) =>
	new PrometheusClient({url: prometheusUrl, credentials: {kind: 'none'}, headers: {}, timeoutMs: 10_000, batchSize});

const overview: CollectOptions = {
	url: prometheusUrl,
	domains: allDomains,
	rangeMs: 300_000,
	points: 16,
	tagKey: 'name',
	partitions: 'all',
	containerSort: 'cpu',
	limit: 100,
};

describe('Given the same poll collected with queries sent alone and in batches', () => {
	test('then both snapshots hold the same data, and the batched poll made under a quarter of the requests', async () => {
		// A past instant, so both polls evaluate exactly the same samples.
		const now = new Date(Date.now() - 30_000);
		const alone = clientWith(1);
		const batched = clientWith(32);
		const [single, together] = [await collectSnapshot(alone, overview, now), await collectSnapshot(batched, overview, now)];
		alone.close();
		batched.close();

		const data = (snapshot: typeof single) => ({families: snapshot.families, kafka: snapshot.kafka, containers: snapshot.containers, k6: snapshot.k6});
		expect(single.containers.state, 'the stack has data to compare').toBe('ok');
		expect(data(together)).toEqual(data(single));
		expect(batched.traffic.queries).toBeLessThan(alone.traffic.queries / 4);
	});
});

describe('Given a poller whose last polls chose the same rows (source/domains/next-wave.ts)', () => {
	test('when it polls again, then the details asked with the first wave hold what a fresh poll finds, in 2 requests', async () => {
		const now = new Date(Date.now() - 30_000);
		const memo: PollMemo = {choices: new Map()};
		const polling = clientWith(64);
		await collectSnapshot(polling, overview, now, memo);
		await collectSnapshot(polling, overview, now, memo);
		const before = polling.traffic.queries;
		const warm = await collectSnapshot(polling, overview, now, memo);
		const steadyRequests = polling.traffic.queries - before;
		polling.close();
		const freshClient = clientWith(64);
		const fresh = await collectSnapshot(freshClient, overview, now);
		freshClient.close();

		const data = (snapshot: typeof fresh) => ({families: snapshot.families, kafka: snapshot.kafka, containers: snapshot.containers, k6: snapshot.k6});
		expect(fresh.containers.state, 'the stack has data to compare').toBe('ok');
		expect(data(warm)).toEqual(data(fresh));
		// Targets and one batch; the version and the histories come from the client's caches.
		expect(steadyRequests).toBe(2);
	});
});

describe('Given a batch of queries of which some cannot be answered together', () => {
	const now = new Date(Date.now() - 10_000);
	const cases = {
		vector: 'count by (job) (up)',
		parseError: 'sum(up',
		scalar: 'scalar(count(up))',
		manyToMany: 'up + on () group_left up',
		commented: 'count(up) # a comment must not swallow the queries after it',
		empty: 'up{job="no-such-job"}',
	};

	test('when they are asked in the same turn, then each gets the answer or the error it gets alone', async () => {
		const alone = clientWith(1);
		const batched = clientWith(32);
		const entries = Object.entries(cases);
		const single = await Promise.all(entries.map(async ([, query]) => alone.instant(query, now)));
		const together = await Promise.all(entries.map(async ([, query]) => batched.instant(query, now)));
		alone.close();
		batched.close();

		for (const [index, [name]] of entries.entries()) {
			expect({name, result: together[index]}).toEqual({name, result: single[index]});
		}

		expect(together.map(result => result.ok)).toEqual([true, false, true, false, true, true]);
	});

	test('when they are asked again, then the refused and the scalar query go alone at once, the others together', async () => {
		const batched = clientWith(32);
		const queries = Object.values(cases);
		await Promise.all(queries.map(async query => batched.instant(query, now)));
		const first = batched.traffic.queries;
		await Promise.all(queries.map(async query => batched.instant(query, now)));
		batched.close();

		// The first turn: one refused batch, then each of the six alone. The second: the parse error, the
		// many-to-many match and the scalar alone, the other three in one batch.
		expect(first).toBe(7);
		expect(batched.traffic.queries - first).toBe(4);
	});
});
