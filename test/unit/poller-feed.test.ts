import {afterEach, describe, expect, test} from 'vitest';
import type {PrometheusClient} from '../../source/prometheus/client.js';
import type {Querier} from '../../source/prometheus/querier.js';
import {ServerClock} from '../../source/prometheus/server-clock.js';
import type {Feed, ViewRequest} from '../../source/ui/feed.js';
import {createPollerFeed} from '../../source/ui/poller-feed.js';

/** A Prometheus that answers every question with no data, counting the questions. */
function countingPrometheus() {
	const asked = {count: 0};
	const answer = async <T>(value: T) => {
		asked.count++;
		return {ok: true as const, value};
	};

	const querier: Querier = {
		instant: async () => answer([]),
		range: async () => answer([]),
		labelNames: async () => answer([]),
		targets: async () => answer([]),
		version: async () => answer('2.42.0'),
	};
	// Its answers carry no Date header: Prometheus's time is this machine's (test/unit/server-clock.test.ts has the skew).
	const clock = new ServerClock();
	const serverNow = async (local: () => number) => clock.now(local());
	return {asked, client: {...querier, traffic: {queries: 0, bytes: 0}, clock, serverNow, takeWarnings: () => []} as unknown as PrometheusClient};
}

const request: ViewRequest = {tab: 'overview', tagKey: 'name', rangeMs: 300_000, points: 16, partitionsOf: null, containerSort: 'cpu'};
const sleep = async (milliseconds: number) => new Promise(resolve => {
	setTimeout(resolve, milliseconds);
});

/** Waits for a poll to have happened (a busy machine may take longer than a few intervals), then for ten more. */
async function pollsAfter(condition: () => boolean) {
	for (let waited = 0; !condition() && waited < 10_000; waited += 20) {
		await sleep(20);
	}

	await sleep(200);
}

let feed: Feed | undefined;
afterEach(() => {
	feed?.stop();
});

describe('Given the monitor polling every 20 ms (as if every 2 s)', () => {
	test('when the polls fall within one 5-s grain, then only the first asks Prometheus, and the screen hears of one poll', async () => {
		const {asked, client} = countingPrometheus();
		// Just before a grain ends, so the poller's sleep until the next one is short in real time.
		let clock = Date.parse('2026-12-01T10:00:04.990Z');
		feed = createPollerFeed({client, url: 'http://prometheus', intervalMs: 20, now: () => clock, runMarkers: () => []});
		let heard = 0;
		feed.subscribe(() => heard++);
		feed.request(request);
		await pollsAfter(() => asked.count > 0);
		const firstGrain = asked.count;
		expect(firstGrain).toBeGreaterThan(0);
		expect(heard).toBe(1);
		expect(feed.getState().snapshot?.takenAt).toBe('2026-12-01T10:00:00.000Z');

		// When the next grain comes, then it asks again, and the screen hears of it.
		clock += 5000;
		await pollsAfter(() => asked.count > firstGrain);
		expect(asked.count).toBe(firstGrain * 2);
		expect(heard).toBe(2);
		expect(feed.getState().snapshot?.takenAt).toBe('2026-12-01T10:00:05.000Z');
		// Polls that asked nothing still count as data received: the age shown stays current.
		expect(feed.getState().receivedAt).toBe(clock);
	});
});
