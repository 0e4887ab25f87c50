import {readFileSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import {type FeedState, waitingState} from '../../source/ui/feed.js';
import {pollDigest} from '../../source/ui/poll-digest.js';
import type {Snapshot} from '../../source/snapshot/types.js';

// Recorded from the real stack (npm run stack:record -- stack).
const recorded = JSON.parse(readFileSync(new URL('../fixtures/prometheus/stack.snapshot.json', import.meta.url), 'utf8')) as Snapshot;
const polled = (change: (snapshot: Snapshot) => Snapshot = snapshot => snapshot, state: Partial<FeedState> = {}): FeedState => ({
	...waitingState,
	snapshot: change(structuredClone(recorded)),
	lastSuccessAt: recorded.takenAt,
	nextInMs: 2000,
	receivedAt: 1000,
	...state,
});
const firstLag = (snapshot: Snapshot) => snapshot.kafka.state === 'ok' ? snapshot.kafka.data.groups[0]!.lag : undefined;

describe('Given the poll before', () => {
	test.each([
		{change: 'its latency, requests and bytes', next: polled(snapshot => ({...snapshot, prometheus: {...snapshot.prometheus, pollMs: 3, queries: 1, bytes: 900}}))},
		{change: 'the targets\' last scrape times', next: polled(snapshot => ({...snapshot, targets: snapshot.targets.map(target => ({...target, lastScrape: '2026-12-01T10:00:00.000Z'}))}))},
		{change: 'the time it arrived', next: polled(undefined, {receivedAt: 3000})},
		{change: 'the count of ticks skipped while a poll ran', next: polled(undefined, {skipped: 4})},
	])('when a poll differs only in $change, then it draws the same screen (no frame)', ({next}) => {
		expect(pollDigest(next)).toBe(pollDigest(polled()));
	});

	test.each([
		{change: 'a consumer group\'s lag', next: polled(snapshot => {
			firstLag(snapshot)!.value! += 1;
			return snapshot;
		})},
		{change: 'a target\'s health', next: polled(snapshot => ({...snapshot, targets: snapshot.targets.map((target, index) => index === 0 ? {...target, health: 'down' as const} : target)}))},
		{change: 'the Prometheus version', next: polled(snapshot => ({...snapshot, prometheus: {...snapshot.prometheus, version: '3.0.0'}}))},
		{change: 'an error', next: polled(undefined, {error: {kind: 'unreachable', message: 'connection refused', status: null}, failures: 1})},
		{change: 'being paused', next: polled(undefined, {paused: true})},
	])('when a poll brings $change, then it is drawn', ({next}) => {
		expect(pollDigest(next)).not.toBe(pollDigest(polled()));
	});
});
