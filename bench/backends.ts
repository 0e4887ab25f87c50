// Benchmark of kmon against the backends of the test stack (test/stack/backends.sh): `kmon --once --json` wall
// time and the monitor's steady poll (requests per poll, after two polls) on Thanos Query and VictoriaMetrics,
// each as a ratio to replica a, the Prometheus whose samples they hold, in the same run with the commands taking
// turns. Started by `npm run bench` when the backends' binaries are installed; the backends are started for the
// run and stopped after it unless they were already running.
import {execFileSync} from 'node:child_process';
import {PrometheusClient} from '../source/prometheus/client.js';
import {allDomains, collectSnapshot, type PollMemo} from '../source/snapshot/collect.js';
import {backendUrls, startBackendsIfNeeded} from '../test/support/backends.js';

const runs = Number(process.env['BENCH_RUNS'] ?? 15);
const backends = {prometheus: backendUrls.replicaA, thanos: backendUrls.thanosQuery, victoriaMetrics: backendUrls.victoriaMetrics} as const;
type Backend = keyof typeof backends;

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
};

/** Requests of the Overview's steady poll: the third poll of a client that keeps its memo, as the monitor does. */
async function steadyRequests(url: string): Promise<number> {
	const client = new PrometheusClient({url, credentials: {kind: 'none'}, headers: {}, timeoutMs: 10_000});
	const memo: PollMemo = {choices: new Map()};
	const options = {url, domains: allDomains, rangeMs: 300_000, points: 16, tagKey: 'name', partitions: 'none' as const, containerSort: 'cpu' as const, limit: 10};
	// Two grains apart at most: a fixed past instant, so every poll asks the same and only the memo differs.
	const now = new Date(Date.now() - 60_000);
	await collectSnapshot(client, options, now, memo);
	await collectSnapshot(client, options, now, memo);
	const before = client.traffic.queries;
	await collectSnapshot(client, options, now, memo);
	const requests = client.traffic.queries - before;
	client.close();
	return requests;
}

export async function benchBackends() {
	const stop = await startBackendsIfNeeded();
	try {
		const wall = Object.fromEntries(Object.keys(backends).map(name => [name, [] as number[]])) as Record<Backend, number[]>;
		const requests: Partial<Record<Backend, number>> = {};
		for (let index = 0; index < runs; index++) {
			for (const [name, url] of Object.entries(backends) as Array<[Backend, string]>) {
				const started = performance.now();
				execFileSync('node', ['bin/kmon.js', '--once', '--json', '--prometheus', url], {stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024});
				wall[name].push(performance.now() - started);
			}
		}

		for (const [name, url] of Object.entries(backends) as Array<[Backend, string]>) {
			requests[name] = await steadyRequests(url);
		}

		const onceMs = Object.fromEntries(Object.entries(wall).map(([name, samples]) => [name, Math.round(median(samples))])) as Record<Backend, number>;
		const ratio = (name: Backend) => ({
			onceWall: Number((onceMs[name] / onceMs.prometheus).toFixed(2)),
			steadyRequests: Number((requests[name]! / requests.prometheus!).toFixed(2)),
		});
		return {
			command: 'npm run bench (bench/backends.ts)',
			runs,
			onceMedianMs: onceMs,
			steadyPollRequests: requests,
			ratioToPrometheus: {thanos: ratio('thanos'), victoriaMetrics: ratio('victoriaMetrics')},
		};
	} finally {
		await stop();
	}
}
