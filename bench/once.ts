// Benchmark of `kmon --once --json` against the running real stack (npm run stack:up):
// wall time against a bare Node script sending the same queries, queries and bytes per poll, startup time.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PrometheusClient} from '../source/prometheus/client.js';
import {allDomains, collectSnapshot} from '../source/snapshot/collect.js';
import {recordingQuerier} from '../test/support/recorded-querier.js';

const url = process.env['KMON_PROMETHEUS_URL'] ?? 'http://127.0.0.1:9090';
const runs = Number(process.env['BENCH_RUNS'] ?? 15);

export async function benchOnce() {
	// The exact queries one --once poll sends, to replay them bare.
	const client = new PrometheusClient({url, credentials: {kind: 'none'}, headers: {}, timeoutMs: 10_000});
	const {querier, calls} = recordingQuerier(client);
	const snapshot = await collectSnapshot(querier, {
		url, domains: allDomains, rangeMs: 300_000, points: 60, tagKey: 'name', partitions: 'all', containerSort: 'cpu', limit: 100,
	});
	const requests = calls.map(call => toRequest(call.method, call.key));
	const file = path.join(mkdtempSync(path.join(tmpdir(), 'kmon-bench-')), 'queries.json');
	writeFileSync(file, JSON.stringify(requests));

	// The commands take turns, so load that drifts during the runs (a broker still warming up its JIT right
	// after stack:up) weighs on each alike; run one after the other, the ratio read 1.37 right after stack:up
	// and 1.08–1.17 minutes later.
	const commands = {
		kmon: ['bin/kmon.js', '--once', '--json', '--prometheus', url],
		bare: ['bench/bare-queries.mjs', file, url],
		version: ['bin/kmon.js', '--version'],
		node: ['-e', '0'],
	};
	const samples = Object.fromEntries(Object.keys(commands).map(name => [name, [] as number[]])) as Record<keyof typeof commands, number[]>;
	for (let index = 0; index < runs; index++) {
		for (const [name, args] of Object.entries(commands) as Array<[keyof typeof commands, string[]]>) {
			const started = performance.now();
			execFileSync('node', args, {stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024});
			samples[name].push(performance.now() - started);
		}
	}

	const [kmonMs, bareMs, versionMs, nodeMs] = [samples.kmon, samples.bare, samples.version, samples.node].map(median) as [number, number, number, number];
	return {
		kmonOnceJsonMs: Math.round(kmonMs),
		bareQueriesMs: Math.round(bareMs),
		ratio: Number((kmonMs / bareMs).toFixed(2)),
		queriesPerPoll: client.traffic.queries,
		bytesPerPoll: client.traffic.bytes,
		startupMs: Math.round(versionMs),
		bareNodeStartupMs: Math.round(nodeMs),
		runs,
		stack: {groups: snapshot.kafka.state === 'ok' ? snapshot.kafka.data.groups.length : null},
	};
}

function toRequest(method: string, key: string): {path: string; params: Record<string, string>} {
	const parts = key ? JSON.parse(key) as unknown[] : [];
	switch (method) {
		case 'instant': {
			return {path: 'query', params: {query: String(parts[0]), time: String(Date.parse(String(parts[1])) / 1000)}};
		}

		case 'range': {
			const window = parts[1] as {start: string; end: string; stepSeconds: number};
			return {path: 'query_range', params: {query: String(parts[0]), start: String(Date.parse(window.start) / 1000), end: String(Date.parse(window.end) / 1000), step: String(window.stepSeconds)}};
		}

		case 'labelNames': {
			return {path: 'labels', params: {'match[]': String(parts[0]), start: String(Date.parse(String(parts[1])) / 1000), end: String(Date.parse(String(parts[2])) / 1000)}};
		}

		case 'targets': {
			return {path: 'targets', params: {}};
		}

		default: {
			return {path: 'status/buildinfo', params: {}};
		}
	}
}

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)]!;
}
