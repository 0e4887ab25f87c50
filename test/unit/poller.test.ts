import {readFileSync} from 'node:fs';
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {createPoller, type PollState} from '../../source/poller.js';
import type {Snapshot} from '../../source/snapshot/types.js';

// Snapshots kmon made for real: one from the test stack, one against a port nothing listens on
// (`kmon --once --json --prometheus http://127.0.0.1:1`), one against a server that never answers.
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/prometheus/${name}.snapshot.json`, import.meta.url), 'utf8')) as Snapshot;
const healthy = fixture('stack');
const unreachable = fixture('unreachable');
const timingOut = fixture('timeout');

beforeEach(() => {
	vi.useFakeTimers();
});

afterEach(() => {
	vi.useRealTimers();
});

function start(collect: () => Promise<Snapshot>, intervalMs = 2000) {
	const states: PollState[] = [];
	const poller = createPoller({intervalMs, collect, request: {}, onState: state => states.push(state)});
	poller.start();
	return {poller, states, last: () => states.at(-1)!};
}

describe('Given a Prometheus slower than the interval', () => {
	test('then polls never overlap, the skipped ticks are counted, and one poll follows at once', async () => {
		let running = 0;
		let most = 0;
		const collect = vi.fn(async () => {
			running++;
			most = Math.max(most, running);
			await new Promise(resolve => {
				setTimeout(resolve, 5000);
			});
			running--;
			return healthy;
		});
		const {poller, last} = start(collect, 1000);
		await vi.advanceTimersByTimeAsync(0);
		poller.pollNow();
		poller.pollNow();
		await vi.advanceTimersByTimeAsync(12_000);
		poller.stop();
		expect(most).toBe(1);
		expect(last().skipped).toBeGreaterThan(0);
		expect(collect.mock.calls.length).toBeGreaterThanOrEqual(2);
	});
});

describe('Given Prometheus goes away and comes back', () => {
	test('then the last data stays with the error, attempts back off to two intervals, and data returns by itself', async () => {
		const answers = [healthy, unreachable, unreachable, unreachable, unreachable, healthy];
		let index = 0;
		const times: number[] = [];
		const {poller, states, last} = start(async () => {
			times.push(Date.now());
			return answers[Math.min(index++, answers.length - 1)]!;
		}, 1000);
		await vi.advanceTimersByTimeAsync(20_000);
		poller.stop();
		const failing = states.filter(state => state.error !== null);
		expect(failing.length).toBeGreaterThanOrEqual(4);
		// The data shown while failing is the last good snapshot, not an empty or zeroed one.
		expect(failing.every(state => state.snapshot?.kafka.state === 'ok')).toBe(true);
		expect(failing.map(state => state.nextInMs)).toEqual([1000, 2000, 2000, 2000]);
		const gaps = times.slice(1).map((time, position) => time - times[position]!);
		expect(gaps.slice(0, 5)).toEqual([1000, 1000, 2000, 2000, 2000]);
		expect(last()).toMatchObject({error: null, failures: 0});
	});

	test.each([
		{answers: 'refuses connections', snapshot: unreachable, longest: 2000, why: 'two intervals: kmon is back within two intervals of its return'},
		{answers: 'times out', snapshot: timingOut, longest: 30_000, why: 'the cap: a Prometheus too slow to answer is not hammered'},
	])('when Prometheus $answers for minutes, then retries wait at most $longest ms ($why), and never give up', async ({snapshot, longest}) => {
		const {poller, states, last} = start(async () => snapshot, 1000);
		await vi.advanceTimersByTimeAsync(300_000);
		poller.stop();
		expect(Math.max(...states.map(state => state.nextInMs))).toBe(longest);
		expect(last().failures).toBeGreaterThan(10);
	});
});

describe('Given one domain fails while others answer', () => {
	test('then that domain keeps its last data and its error is reported beside it', async () => {
		const kafkaFails: Snapshot = {...healthy, kafka: {state: 'failed', error: {kind: 'timeout', message: 'did not answer within 5000 ms', status: null}}};
		const answers = [healthy, kafkaFails];
		let index = 0;
		const {poller, last} = start(async () => answers[Math.min(index++, 1)]!, 1000);
		await vi.advanceTimersByTimeAsync(1500);
		poller.stop();
		expect(last().snapshot?.kafka).toEqual(healthy.kafka);
		expect(last().domainErrors.kafka).toMatchObject({kind: 'timeout'});
		expect(last().error).toBeNull();
	});
});

describe('Given the user pauses', () => {
	test('then no poll runs until resumed', async () => {
		const collect = vi.fn(async () => healthy);
		const {poller} = start(collect, 1000);
		await vi.advanceTimersByTimeAsync(0);
		poller.setPaused(true);
		const before = collect.mock.calls.length;
		await vi.advanceTimersByTimeAsync(10_000);
		expect(collect.mock.calls.length).toBe(before);
		poller.setPaused(false);
		await vi.advanceTimersByTimeAsync(0);
		poller.stop();
		expect(collect.mock.calls.length).toBe(before + 1);
	});
});

describe('Given data that can only change every 5 s, polled every 2 s', () => {
	const untilNextGrain = () => 5000 - (Date.now() % 5000);

	test.each([
		{answers: 'healthy', snapshot: healthy, polls: 4, why: 'it sleeps until the next grain rather than wake to find nothing new'},
		{answers: 'timing out', snapshot: timingOut, polls: 4, why: 'failures back off from the interval (2, 4, 8 s), not from the grain'},
		{answers: 'unreachable', snapshot: unreachable, polls: 6, why: 'refused connections are asked again every two intervals at most (2, 4, 4, 4, 4 s)'},
	])('when Prometheus is $answers, then 20 s bring $polls polls: $why', async ({snapshot, polls}) => {
		vi.setSystemTime(Date.parse('2026-12-01T10:00:00.000Z'));
		const collect = vi.fn(async () => snapshot);
		const poller = createPoller({intervalMs: 2000, collect, request: {}, onState() {}, untilNewMs: untilNextGrain});
		poller.start();
		await vi.advanceTimersByTimeAsync(19_900);
		poller.stop();
		expect(collect).toHaveBeenCalledTimes(polls);
	});

	test('when the interval is longer than the grain, then the interval rules', async () => {
		const collect = vi.fn(async () => healthy);
		const poller = createPoller({intervalMs: 10_000, collect, request: {}, onState() {}, untilNewMs: untilNextGrain});
		poller.start();
		await vi.advanceTimersByTimeAsync(29_900);
		poller.stop();
		expect(collect).toHaveBeenCalledTimes(3);
	});
});
