import {spawn, type ChildProcess} from 'node:child_process';
import {homedir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {PrometheusClient} from '../../source/prometheus/client.js';
import {allDomains, type CollectOptions, collectSnapshot, type PollMemo} from '../../source/snapshot/collect.js';
import type {Snapshot} from '../../source/snapshot/types.js';
import {backendUrls, commonPastTime, prefixProxy, query, sidecarAGrpc, snapshotOf, startBackendsIfNeeded} from '../support/backends.js';
import {eventually, kmon} from '../support/stack.js';

// kmon against Thanos Query (over two Prometheus replicas with sidecars, --query.replica-label=replica) and
// VictoriaMetrics, next to replica a, the one Prometheus whose samples both hold (test/stack/backends.sh):
// at the same evaluation time every difference is the engine's, never the data's.

let stopBackends: () => Promise<void>;
let at: Date;
const snapshots: Record<'replicaA' | 'thanosQuery' | 'victoriaMetrics', Snapshot> = {} as never;

beforeAll(async () => {
	stopBackends = await startBackendsIfNeeded();
	at = await commonPastTime(300);
	const atArgs = ['--at', at.toISOString()];
	for (const name of ['replicaA', 'thanosQuery', 'victoriaMetrics'] as const) {
		snapshots[name] = await snapshotOf(backendUrls[name], atArgs);
	}
}, 600_000);

afterAll(async () => {
	await stopBackends();
});

/**
 * Containers seen over the whole window. One started within it (other sessions start Docker containers on this
 * machine) has a rate whose first minute each engine handles its own way: not the figures compared here.
 */
const settled = <T extends {cpuPercent: {history: Array<number | null>}}>(containers: T[]) =>
	containers.filter(container => container.cpuPercent.history.every(point => point !== null));

type Data = Pick<Snapshot, 'kafka' | 'containers'>;

/** The figures that count messages or bytes held: equal to the unit wherever the samples are the same. */
function exactFigures({kafka, containers}: Data) {
	if (kafka.state !== 'ok' || containers.state !== 'ok' || kafka.data.brokers.state !== 'ok') {
		throw new Error(`a section is not ok: kafka ${kafka.state}, containers ${containers.state}`);
	}

	const {brokers, activeControllers, underReplicatedPartitions, offlinePartitions, heapUsedBytes, heapMaxBytes} = kafka.data.brokers.data;
	return {
		totalLag: kafka.data.totalLag,
		groupCount: kafka.data.groupCount,
		groups: kafka.data.groups.map(({group, topic, status, lag, members, partitions, partitionLags, lastSeen}) =>
			({group, topic, status, lag, members, partitions, partitionLags, lastSeen})).sort((x, y) => `${x.group}/${x.topic}`.localeCompare(`${y.group}/${y.topic}`)),
		brokers: {brokers, activeControllers, underReplicatedPartitions, offlinePartitions, heapUsedBytes, heapMaxBytes},
		containers: Object.fromEntries(settled(containers.data.containers).map(container => [container.id, {memory: container.memoryWorkingSetBytes, limit: container.memoryLimitBytes}])),
	};
}

/** Per-second rates, by name: what MetricsQL may compute differently from PromQL. */
function rates({kafka, containers}: Data): Record<string, number | null> {
	if (kafka.state !== 'ok' || containers.state !== 'ok' || kafka.data.brokers.state !== 'ok') {
		throw new Error('a section is not ok');
	}

	const brokers = kafka.data.brokers.data;
	return {
		...Object.fromEntries(kafka.data.groups.flatMap(group => [[`consume ${group.group}`, group.consumeRate], [`produce ${group.topic} (${group.group})`, group.produceRate]])),
		'messages in': brokers.messagesInPerSecond.value,
		'bytes in': brokers.bytesInPerSecond.value,
		...Object.fromEntries(settled(containers.data.containers).map(container => [`cpu ${container.id}`, container.cpuPercent.value])),
	};
}

/** A value with every number to 10 significant digits: sums over the same series may add in another order. */
const rounded = (value: unknown): unknown => JSON.parse(JSON.stringify(value, (_key, item: unknown) => (typeof item === 'number' ? Number(item.toPrecision(10)) : item)));

const relativeDifference = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-9);

describe('Given Thanos Query over two replicas holding the same samples, deduplicated by the replica label', () => {
	test('when kmon --once --json --at asks it and replica a alone, then families, targets and diagnostics are the same', () => {
		const {replicaA, thanosQuery} = snapshots;
		expect(replicaA.kafka.state, 'the stack has consumer groups to compare').toBe('ok');
		expect(thanosQuery.families).toEqual(replicaA.families);
		expect(thanosQuery.targets).toEqual(replicaA.targets);
		expect(thanosQuery.diagnostics).toEqual(replicaA.diagnostics);
	});

	test('then lag and offsets are exactly replica a\'s, nothing counted twice although each series is there twice', async () => {
		const {replicaA, thanosQuery} = snapshots;
		const seconds = at.getTime() / 1000;
		const [both] = await query(backendUrls.thanosQuery, 'count(kafka_consumergroup_lag)', seconds, {dedup: 'false'});
		const [one] = await query(backendUrls.replicaA, 'count(kafka_consumergroup_lag)', seconds);
		expect(both!.value, 'without dedup Thanos sees both replicas\' copy of every series').toBe(2 * one!.value);
		expect(exactFigures(thanosQuery)).toEqual(exactFigures(replicaA));
	});

	test('then every rate, CPU figure and history point is replica a\'s but for float rounding in sums', () => {
		const {replicaA, thanosQuery} = snapshots;
		const expected = rates(replicaA);
		const actual = rates(thanosQuery);
		expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
		for (const [name, value] of Object.entries(expected)) {
			expect(relativeDifference(actual[name]!, value!), name).toBeLessThan(1e-9);
		}

		const history = (snapshot: Snapshot) => (snapshot.kafka.state === 'ok' && snapshot.kafka.data.brokers.state === 'ok' ? snapshot.kafka.data.brokers.data.messagesInPerSecond.history : []);
		expect(history(thanosQuery).length).toBeGreaterThan(0);
		for (const [index, point] of history(replicaA).entries()) {
			expect(relativeDifference(history(thanosQuery)[index]!, point!), `point ${index}`).toBeLessThan(1e-9);
		}
	});
});

describe('Given VictoriaMetrics holding replica a\'s samples', () => {
	test('when kmon --once --json --at asks it, then families, targets and diagnostics are the same as on replica a', () => {
		const {replicaA, victoriaMetrics} = snapshots;
		expect(victoriaMetrics.families).toEqual(replicaA.families);
		expect(victoriaMetrics.targets).toEqual(replicaA.targets);
		expect(victoriaMetrics.diagnostics).toEqual(replicaA.diagnostics);
	});

	test('then lag, offsets, group status and memory are exactly replica a\'s', () => {
		expect(rounded(exactFigures(snapshots.victoriaMetrics))).toEqual(rounded(exactFigures(snapshots.replicaA)));
	});

	test('then the steady rates (produce, messages and bytes in) are within 2 % of replica a\'s', () => {
		const expected = rates(snapshots.replicaA);
		const actual = rates(snapshots.victoriaMetrics);
		const steady = Object.keys(expected).filter(name => /^(produce|messages in|bytes in)/.test(name));
		expect(steady.length, 'produce and broker rates to compare').toBeGreaterThan(2);
		for (const name of steady) {
			expect(relativeDifference(actual[name]!, expected[name]!), `${name}: ${actual[name]} vs ${expected[name]}`).toBeLessThan(0.02);
		}
	});

	// MetricsQL's rate() takes the increase from the last sample before the window and divides it by the time
	// between the two samples; PromQL's takes it from the first sample inside the window and stretches it to the
	// window. For counters that move in bursts (a group consuming 8 s in 38, an exporter's CPU at each scrape)
	// the two differ by up to 60 s / 55 s and more (test/stack/README.md has the numbers), so those are held to
	// MetricsQL's definition, computed here from replica a's raw samples.
	test('then bursty consume rates and CPU are MetricsQL\'s rate of the same samples, which PromQL extrapolates instead', async () => {
		const {victoriaMetrics} = snapshots;
		if (victoriaMetrics.kafka.state !== 'ok' || victoriaMetrics.containers.state !== 'ok') {
			throw new Error('a section is not ok');
		}

		const consume = await metricsqlRate('kafka_consumergroup_current_offset', 'consumergroup', at);
		const lagging = victoriaMetrics.kafka.data.groups.find(group => group.group === 'kmon-lagging');
		expect(relativeDifference(lagging!.consumeRate!, consume.get('kmon-lagging')!)).toBeLessThan(1e-6);
		// Like kmon's query: cAdvisor's cpu="total" series where it has one, else the per-core ones summed.
		const total = await metricsqlRate('container_cpu_usage_seconds_total{cpu="total"}', 'id', at);
		const perCore = await metricsqlRate('container_cpu_usage_seconds_total{cpu!="total"}', 'id', at);
		expect(victoriaMetrics.containers.data.containers.length).toBeGreaterThan(5);
		for (const container of settled(victoriaMetrics.containers.data.containers)) {
			const expected = 100 * (total.get(container.id) ?? perCore.get(container.id)!);
			expect(relativeDifference(container.cpuPercent.value!, expected), container.id).toBeLessThan(1e-6);
		}
	});
});

/** Per `by` value, the sum over its series of (last sample − last sample a minute before) / their time apart. */
async function metricsqlRate(selector: string, by: string, time: Date): Promise<Map<string, number>> {
	const seconds = time.getTime() / 1000;
	const key = (metric: Record<string, string>) => JSON.stringify(Object.entries(metric).filter(([name]) => name !== '__name__').sort());
	const samples = async (moment: number) => {
		const [values, times] = [await query(backendUrls.replicaA, selector, moment), await query(backendUrls.replicaA, `timestamp(${selector})`, moment)];
		const timeOf = new Map(times.map(row => [key(row.metric), row.value]));
		return new Map(values.filter(row => row.value >= 0).map(row => [key(row.metric), {group: row.metric[by] ?? '', value: row.value, time: timeOf.get(key(row.metric))!}]));
	};

	const [now, before] = [await samples(seconds), await samples(seconds - 60)];
	const result = new Map<string, number>();
	for (const [series, last] of now) {
		const first = before.get(series);
		if (first && last.time > first.time) {
			result.set(last.group, (result.get(last.group) ?? 0) + ((last.value - first.value) / (last.time - first.time)));
		}
	}

	return result;
}
const clientOf = (url: string, batchSize: number) => new PrometheusClient({url, credentials: {kind: 'none'}, headers: {}, timeoutMs: 10_000, batchSize});

describe.each([['Thanos Query', backendUrls.thanosQuery], ['VictoriaMetrics', backendUrls.victoriaMetrics]])('Given %s', (_name, url) => {
	const overview = (): CollectOptions => ({url, domains: allDomains, rangeMs: 300_000, points: 16, tagKey: 'name', partitions: 'all', containerSort: 'cpu', limit: 100, past: true});

	test('when a poll is sent in batches (label_replace + or), then it holds what the queries sent alone hold, in 2 requests once steady', async () => {
		const alone = clientOf(url, 1);
		const batched = clientOf(url, 64);
		const memo: PollMemo = {choices: new Map()};
		const single = await collectSnapshot(alone, overview(), at);
		await collectSnapshot(batched, overview(), at, memo);
		await collectSnapshot(batched, overview(), at, memo);
		const before = batched.traffic.queries;
		const together = await collectSnapshot(batched, overview(), at, memo);
		const steady = batched.traffic.queries - before;
		alone.close();
		batched.close();
		const data = (snapshot: Snapshot) => rounded({families: snapshot.families, kafka: snapshot.kafka, containers: snapshot.containers, k6: snapshot.k6});
		expect(single.kafka.state).toBe('ok');
		expect(data(together)).toEqual(data(single));
		// The up-series pair for target health and one batch: --at reads target health from up.
		expect(steady).toBe(1);
	});

	test('when a batch holds queries that fail, then each query gets the answer or the error it gets alone', async () => {
		const cases = ['count by (job) (up)', 'sum(up', 'up + on () group_left up', 'count(up) # a comment must not swallow the rest', 'up{job="no-such-job"}'];
		const alone = clientOf(url, 1);
		const batched = clientOf(url, 32);
		const single = await Promise.all(cases.map(async promql => alone.instant(promql, at)));
		const together = await Promise.all(cases.map(async promql => batched.instant(promql, at)));
		alone.close();
		batched.close();
		expect(single.filter(result => !result.ok).length, 'the cases include refused queries').toBeGreaterThan(0);
		expect(together).toEqual(single);
	});
});

describe('Given VictoriaMetrics, which lists no scrape targets of its own (its data comes by remote write)', () => {
	test('when kmon asks it for now, then target health comes from the up series, said once, and matches replica a\'s targets', async () => {
		const [vm, prometheus] = [await snapshotOf(backendUrls.victoriaMetrics), await snapshotOf(backendUrls.replicaA)];
		const notes = vm.diagnostics.filter(diagnostic => diagnostic.id === 'targets-from-up');
		expect(notes).toHaveLength(1);
		expect(notes[0]!.message).toMatch(/lists no scrape targets of its own/);
		const health = (snapshot: Snapshot) => snapshot.targets.map(({job, instance, health}) => `${job} ${instance} ${health}`).sort();
		expect(health(vm)).toEqual(health(prometheus));
		expect(prometheus.diagnostics.map(diagnostic => diagnostic.id)).not.toContain('targets-from-up');
	});
});

describe('Given VictoriaMetrics behind a proxy under /select/0/prometheus that wants X-Scope-OrgID: team', () => {
	test('when kmon is given that base URL and --header, then it shows what it shows on VictoriaMetrics directly', async () => {
		const proxy = await prefixProxy(backendUrls.victoriaMetrics, '/select/0/prometheus', {header: 'X-Scope-OrgID', value: 'team'});
		try {
			const through = await snapshotOf(proxy.url, ['--at', at.toISOString(), '--header', 'X-Scope-OrgID: team']);
			const {prometheus: _through, ...sameThrough} = through;
			const {prometheus: _direct, ...sameDirect} = snapshots.victoriaMetrics;
			expect(proxy.refused(), 'every request carried the header under the prefix').toBe(0);
			expect(proxy.requests()).toBeGreaterThan(0);
			expect(rounded(sameThrough)).toEqual(rounded(sameDirect));
		} finally {
			await proxy.close();
		}
	});

	test('when the header is left out, then kmon exits 3 saying the credentials were refused', async () => {
		const proxy = await prefixProxy(backendUrls.victoriaMetrics, '/select/0/prometheus', {header: 'X-Scope-OrgID', value: 'team'});
		try {
			const result = await kmon(['--once', '--prometheus', proxy.url]);
			expect(result.code).toBe(3);
			expect(result.stdout).toMatch(/refused the credentials \(HTTP 401\)/);
		} finally {
			await proxy.close();
		}
	});
});

describe('Given a Thanos Query whose second store does not answer', () => {
	let thanos: ChildProcess;
	const url = 'http://127.0.0.1:24930';
	beforeAll(async () => {
		// Its own query, on ports of its own (PORTS.md): the shared one stays whole for the other tests.
		const binary = path.join(process.env['KMON_STACK_CACHE'] ?? path.join(homedir(), '.cache', 'kmon-stack'), 'bin', 'thanos');
		thanos = spawn(binary, ['query', '--query.replica-label=replica', `--endpoint-strict=${sidecarAGrpc}`, '--endpoint-strict=127.0.0.1:24939',
			'--http-address=127.0.0.1:24930', '--grpc-address=127.0.0.1:24931'], {stdio: 'ignore'});
		await eventually('the second Thanos Query to answer with replica a\'s data', async () => {
			try {
				const rows = await query(url, 'count(up)', Date.now() / 1000);
				return rows.length > 0 ? true : undefined;
			} catch {
				return undefined;
			}
		}, 60_000);
	});
	afterAll(() => {
		thanos.kill();
	});

	test('when kmon asks it, then the figures are there and the partial response is a diagnostic naming the store', async () => {
		const snapshot = await snapshotOf(url);
		expect(snapshot.kafka.state).toBe('ok');
		const warnings = snapshot.diagnostics.filter(diagnostic => diagnostic.id === 'backend-warning');
		expect(warnings).toHaveLength(1);
		expect(warnings[0]!.message).toContain('127.0.0.1:24939');
		expect(warnings[0]!.fix).toMatch(/partial response/);
	});
});
