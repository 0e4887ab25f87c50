import {readFileSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import {detectFamilies, familyQueries} from '../../source/domains/families.js';
import type {Querier} from '../../source/prometheus/querier.js';
import {evaluationTime} from '../../source/prometheus/window.js';
import {type CollectOptions, collectSnapshot, type PollMemo} from '../../source/snapshot/collect.js';
import type {Snapshot} from '../../source/snapshot/types.js';
import {type Recording, replayingQuerier} from '../support/recorded-querier.js';

// Every Prometheus answer here was recorded from the real test stack (npm run stack:record): Kafka 4.3.1 with
// a lagging and a stopped group, both JMX exporter generations, cAdvisor without Docker names (each stack
// component in its own cgroup), and a tagged fake-k6 run through
// the real statsd_exporter. See `about` in the file for the versions.
const recording = JSON.parse(readFileSync(new URL('../fixtures/prometheus/stack.json', import.meta.url), 'utf8')) as Recording & {options: CollectOptions};
const replay = async (changes: Partial<CollectOptions> = {}) =>
	collectSnapshot(replayingQuerier(recording), {...recording.options, ...changes}, new Date(recording.now));

describe('Given the recorded answers of the real stack', () => {
	test('then the families of the real exporters are detected', async () => {
		const snapshot = await replay();
		expect(snapshot.families).toEqual({jmx: 'jmx-exporter-1.x', k6: 'statsd-histogram', cadvisor: 'cadvisor-unnamed'});
	});

	test('then both consumer groups are listed with their partitions, and lag is the sum of committed partitions', async () => {
		const snapshot = await replay();
		const groups = snapshot.kafka.state === 'ok' ? snapshot.kafka.data.groups : [];
		expect(groups.map(group => group.group)).toEqual(['kmon-lagging', 'kmon-stopped']);
		for (const group of groups) {
			expect(group.partitionLags).toHaveLength(6);
			const committed = group.partitionLags.filter(partition => partition.lag !== null);
			expect(group.lag.value).toBe(committed.reduce((sum, partition) => sum + partition.lag!, 0));
			expect(group.lag.history).toHaveLength(snapshot.window.points);
		}
	});

	test('then the totals cover every group, and with two groups both get a row', async () => {
		const snapshot = await replay();
		const kafka = snapshot.kafka.state === 'ok' ? snapshot.kafka.data : undefined;
		expect(kafka?.groupCount).toBe(2);
		expect(kafka?.totalLag.value).toBe(kafka!.groups.reduce((sum, group) => sum + group.lag.value!, 0));
		expect(kafka?.totalLag.history).toHaveLength(snapshot.window.points);
	});

	test('then the stopped group has no members and is not OK', async () => {
		const snapshot = await replay();
		const stopped = snapshot.kafka.state === 'ok' ? snapshot.kafka.data.groups.find(group => group.group === 'kmon-stopped') : undefined;
		expect(stopped?.members).toBe(0);
		expect(stopped?.status).not.toBe('OK');
		expect(stopped?.lag.value).toBeGreaterThan(0);
	});

	test('then broker health comes from the 1.x exporter alone, with a note that two jobs export it', async () => {
		const snapshot = await replay();
		const brokers = snapshot.kafka.state === 'ok' && snapshot.kafka.data.brokers.state === 'ok' ? snapshot.kafka.data.brokers.data : undefined;
		expect(brokers).toMatchObject({brokers: 1, activeControllers: 1, underReplicatedPartitions: 0, offlinePartitions: 0});
		expect(brokers?.heapMaxBytes).toBe(512 * 1024 * 1024);
		expect(brokers?.messagesInPerSecond.value).toBeGreaterThan(0);
		expect(snapshot.diagnostics.map(diagnostic => diagnostic.id)).toContain('jmx-several-jobs');
	});

	test('then cgroups without Docker names are named by their last path part, busiest first, CPU never negative', async () => {
		const snapshot = await replay();
		const containers = snapshot.containers.state === 'ok' ? snapshot.containers.data.containers : [];
		expect(containers.map(container => container.name)).toEqual(expect.arrayContaining(['kafka', 'prometheus', 'cadvisor']));
		expect(containers.every(container => container.nameSource === 'id')).toBe(true);
		const cpu = containers.map(container => container.cpuPercent.value ?? 0);
		expect(cpu).toEqual([...cpu].sort((a, b) => b - a));
		expect(cpu.every(value => value >= 0)).toBe(true);
	});

	test('then k6 rows are per endpoint name with the tag keys k6 sent', async () => {
		const snapshot = await replay();
		expect(snapshot.k6.state).toBe('ok');
		if (snapshot.k6.state === 'ok') {
			expect(snapshot.k6.data.tagged).toBe(true);
			expect(snapshot.k6.data.tagKeys).toEqual(expect.arrayContaining(['method', 'name', 'status', 'scenario']));
			expect(snapshot.k6.data.byTag.length).toBeGreaterThan(1);
		}
	});

	test('then the replay gives exactly the snapshot recorded live (the transform is deterministic)', async () => {
		const live = JSON.parse(readFileSync(new URL('../fixtures/prometheus/stack.snapshot.json', import.meta.url), 'utf8')) as Snapshot;
		const replayed = JSON.parse(JSON.stringify(await replay())) as Snapshot;
		expect(replayed).toEqual(live);
	});
});

describe('Given the recorded answers, as Prometheus gives them once kafka_exporter is gone', () => {
	const replaying = replayingQuerier(recording);
	const withoutExporter: Querier = {
		...replaying,
		async instant(query, time) {
			const result = await replaying.instant(query, time);
			return query === familyQueries.markers && result.ok
				? {ok: true, value: result.value.filter(sample => sample.labels['__name__'] !== 'kafka_brokers')}
				: result;
		},
	};

	test('then the number of groups is unknown (null), not 0, and the diagnostic says why', async () => {
		const snapshot = await collectSnapshot(withoutExporter, recording.options, new Date(recording.now));
		const kafka = snapshot.kafka.state === 'ok' ? snapshot.kafka.data : undefined;
		expect(kafka).toMatchObject({groups: [], groupCount: null, totalLag: {value: null}});
		expect(snapshot.diagnostics.map(diagnostic => diagnostic.id)).toContain('kafka-exporter-absent');
	});
});

describe('Given a poller that remembers the families the last poll found (PollMemo)', () => {
	// A wrong guess asks queries the recording never saw; Prometheus would answer those, here they are refused.
	const lenient = (querier: Querier): Querier => ({
		...querier,
		async instant(query, time) {
			try {
				return await querier.instant(query, time);
			} catch {
				return {ok: false, error: {kind: 'http', message: 'not in the recording', status: 400}};
			}
		},
		async range(query, window) {
			try {
				return await querier.range(query, window);
			} catch {
				return {ok: false, error: {kind: 'http', message: 'not in the recording', status: 400}};
			}
		},
	});
	const at = new Date(recording.now);
	const detected = async () => {
		const result = await detectFamilies(replayingQuerier(recording), evaluationTime(at));
		return result.ok ? result.value : undefined;
	};

	test.each([
		{case: 'what this poll finds', guess: detected},
		{case: 'stale (no exporter at all then)', guess: async () => ({families: {jmx: null, k6: null, cadvisor: null}, jmxJobMatcher: '', k6JobMatcher: '', kafkaExporter: false, diagnostics: []})},
	])('when the remembered selection is $case, then the snapshot is the one a fresh poll takes, and the memo holds what was found', async ({guess}) => {
		const memo: PollMemo = {selection: await guess(), choices: new Map()};
		const snapshot = await collectSnapshot(lenient(replayingQuerier(recording)), recording.options, at, memo);
		expect(snapshot).toEqual(await replay());
		expect(memo.selection).toEqual(await detected());
	});
});

/**
 * Counts the turns of the event loop in which queries are asked: the client sends the queries of one turn as
 * one request (query-batch.ts), so turns are requests to Prometheus and wakes of the process.
 */
function turnCounting(querier: Querier) {
	const turns = new Set<number>();
	let turn = 0;
	let ending = false;
	const seen = () => {
		turns.add(turn);
		if (!ending) {
			ending = true;
			setImmediate(() => {
				ending = false;
				turn++;
			});
		}
	};

	const answerNextTurn = async <T>(answer: Promise<T>) => {
		seen();
		const value = await answer;
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		return value;
	};

	return {
		turns,
		querier: {
			instant: async (query, time) => answerNextTurn(querier.instant(query, time)),
			range: async (query, window) => answerNextTurn(querier.range(query, window)),
			labelNames: async (match, start, end) => answerNextTurn(querier.labelNames(match, start, end)),
			targets: async () => answerNextTurn(querier.targets()),
			version: async () => answerNextTurn(querier.version()),
		} satisfies Querier,
	};
}

describe('Given a poller whose last polls chose the same busiest rows (next-wave.ts)', () => {
	const at = new Date(recording.now);
	const options = {...recording.options, partitions: 'all' as const};
	const pollTurns = async (memo: PollMemo) => {
		const counting = turnCounting(replayingQuerier(recording));
		const snapshot = await collectSnapshot(counting.querier, options, at, memo);
		return {snapshot, turns: counting.turns.size};
	};

	test('when it polls again, then the snapshot is the one a fresh poll takes, asked in one turn instead of three', async () => {
		const memo: PollMemo = {choices: new Map()};
		const fresh = await pollTurns(memo);
		await pollTurns(memo);
		const warm = await pollTurns(memo);
		expect(warm.snapshot).toEqual(fresh.snapshot);
		expect(warm.snapshot).toEqual(await replay({partitions: 'all'}));
		expect({fresh: fresh.turns, warm: warm.turns}).toEqual({fresh: 4, warm: 1});
	});
});
