// End to end: fake-k6 -> real statsd_exporter (with stack/statsd-mapping.yml) -> real Prometheus, and
// fake-k6 (stock flavor) -> Prometheus' remote-write receiver. Needs the local test stack
// (`npm run stack:up`; ports in test/stack/PORTS.md). Endpoints can be moved with
// KMON_E2E_PROMETHEUS_URL, KMON_E2E_STATSD_ADDR and KMON_E2E_STATSD_SUMMARY_ADDR.
//
// Isolation: statsd_exporter keeps every series until it restarts, and a run without tags can carry
// no marker. So the tagged run is told apart by a unique `testid` run tag (--tag), and the untagged
// run by the change it makes: the label-less k6_http_reqs series must grow by exactly the number of
// requests fake-k6 reports (assumes no other untagged k6 run feeds the same exporter meanwhile).
import {spawn} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {beforeAll, describe, expect, it} from 'vitest';
import {ENDPOINTS} from '../stack/fake-k6/lib/target.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const K6 = path.resolve(here, '../stack/fake-k6/k6.js');
const PROMETHEUS = process.env.KMON_E2E_PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
const STATSD = process.env.KMON_E2E_STATSD_ADDR ?? '127.0.0.1:8125';
const STATSD_SUMMARY = process.env.KMON_E2E_STATSD_SUMMARY_ADDR ?? '127.0.0.1:8126';
const ENDPOINT_NAMES = ENDPOINTS.map(e => e.name).sort();

const scriptDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-k6-e2e-'));
const SCRIPT = path.join(scriptDir, 'load.js');
fs.writeFileSync(SCRIPT, "import http from 'k6/http';\nexport default function () { http.get('http://localhost/'); }\n");

type Series = {metric: Record<string, string>; value: [number, string]};

async function query(promql: string): Promise<Series[]> {
	const response = await fetch(`${PROMETHEUS}/api/v1/query?query=${encodeURIComponent(promql)}`);
	const body = (await response.json()) as {status: string; error?: string; data: {result: Series[]}};
	if (body.status !== 'success') throw new Error(`query ${promql} failed: ${body.error}`);
	return body.data.result;
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 40_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: Error | undefined;
	for (;;) {
		try {
			const value = await probe();
			if (value !== undefined) return value;
		} catch (error) {
			last = error as Error;
		}
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
		await new Promise(r => setTimeout(r, 1000));
	}
}

/** Runs fake-k6 to its end; returns its exit code and the request count from its summary. */
function runK6(args: string[], env: Record<string, string>): Promise<{code: number | null; requests: number; stdout: string; stderr: string}> {
	return new Promise(resolve => {
		const child = spawn(process.execPath, [K6, 'run', ...args, SCRIPT], {
			env: {PATH: process.env.PATH ?? '', FAKE_K6_ITERATION_SLEEP_MS: '50', ...env},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', c => (stdout += c));
		child.stderr.on('data', c => (stderr += c));
		child.on('close', code => {
			const match = /\n\s+http_reqs\.+: (\d+) /.exec(stdout);
			resolve({code, requests: match ? Number(match[1]) : Number.NaN, stdout, stderr});
		});
	});
}

/** Waits for a scrape of the statsd_exporter that started after now, so its values include all earlier traffic. */
async function nextScrape(job: string) {
	const now = Date.now() / 1000;
	await eventually(`a fresh scrape of ${job}`, async () => {
		const result = await query(`timestamp(up{job="${job}"})`);
		return result.length > 0 && Number(result[0]!.value[1]) > now ? true : undefined;
	}, 30_000);
}

const labelNames = (s: Series) => Object.keys(s.metric).filter(k => k !== '__name__' && k !== 'instance' && k !== 'job');
const key = (s: Series) => JSON.stringify(Object.entries(s.metric).sort());

beforeAll(async () => {
	let targets: Array<{labels: {job: string}; health: string}>;
	try {
		const response = await fetch(`${PROMETHEUS}/api/v1/targets`);
		targets = ((await response.json()) as {data: {activeTargets: typeof targets}}).data.activeTargets;
	} catch (error) {
		throw new Error(`Prometheus is not reachable at ${PROMETHEUS} (${String(error)}): start the test stack with \`npm run stack:up\``);
	}
	for (const job of ['statsd-exporter', 'statsd-exporter-summary']) {
		const target = targets.find(t => t.labels.job === job);
		if (target?.health !== 'up') {
			throw new Error(`Prometheus job ${job} is ${target ? target.health : 'missing'}: the test stack is not complete`);
		}
	}
}, 60_000);

describe('Given fake-k6 sending StatsD to the real statsd_exporter with the stack mapping', () => {
	it('when a run has K6_STATSD_ENABLE_TAGS unset, then the k6_http_reqs series it grows carry no method, status or name', async () => {
		await nextScrape('statsd-exporter');
		const before = new Map((await query('k6_http_reqs{job="statsd-exporter"}')).map(s => [key(s), Number(s.value[1])]));
		const run = await runK6(['-o', 'output-statsd', '--vus', '2', '--duration', '3s'], {K6_STATSD_ADDR: STATSD});
		expect(run.code, run.stderr).toBe(0);
		expect(run.requests).toBeGreaterThan(10);

		// Every request of the run must land in the one label-less series: if any carried a tag, that
		// series would grow by less than the run's request count. (Tagged series may grow meanwhile from
		// other runs on the same machine; they prove nothing about this run and are not looked at.)
		const grown = await eventually('the untagged run to be scraped', async () => {
			const after = await query('k6_http_reqs{job="statsd-exporter"}');
			const bare = after.filter(s => labelNames(s).length === 0);
			const growth = bare.reduce((sum, s) => sum + Number(s.value[1]) - (before.get(key(s)) ?? 0), 0);
			return growth >= run.requests ? {bare, growth} : undefined;
		});
		expect(grown.bare).toHaveLength(1);
		expect(grown.growth).toBe(run.requests);
	});

	it('when a run has K6_STATSD_ENABLE_TAGS=true, then k6_http_reqs has method, status and name per endpoint', async () => {
		const testid = randomUUID();
		const run = await runK6(['-o', 'output-statsd', '--vus', '2', '--duration', '3s', '--tag', `testid=${testid}`], {
			K6_STATSD_ADDR: STATSD, K6_STATSD_ENABLE_TAGS: 'true',
		});
		expect(run.code, run.stderr).toBe(0);

		const series = await eventually('the tagged run to be scraped', async () => {
			const result = await query(`k6_http_reqs{testid="${testid}"}`);
			const total = result.reduce((sum, s) => sum + Number(s.value[1]), 0);
			return total === run.requests ? result : undefined;
		});
		for (const s of series) expect(labelNames(s)).toEqual(expect.arrayContaining(['method', 'status', 'name', 'scenario', 'expected_response', 'proto']));
		expect([...new Set(series.map(s => s.metric.name))].sort()).toEqual(ENDPOINT_NAMES);
		expect(new Set(series.map(s => s.metric.status))).toEqual(new Set(['200', '201', '404', '500']));

		// The mapping makes trends histograms: per-endpoint percentiles from summed buckets.
		const p95 = await query(`histogram_quantile(0.95, sum by (le, name) (k6_http_req_duration_bucket{testid="${testid}"}))`);
		expect(p95.map(s => s.metric.name).sort()).toEqual(ENDPOINT_NAMES);
		const report = p95.find(s => s.metric.name === 'GET /report');
		const items = p95.find(s => s.metric.name === 'GET /items');
		expect(Number(report?.value[1])).toBeGreaterThan(Number(items?.value[1]));

		// Checks: one counter with check and result labels.
		const checks = await query(`sum by (check, result) (k6_checks{testid="${testid}"})`);
		expect(checks.map(s => `${s.metric.check}/${s.metric.result}`)).toEqual(expect.arrayContaining([
			'items status is 200/pass', 'item status is 200/fail', 'order status is 201/fail',
		]));
	});
});

describe('Given fake-k6 sending StatsD to the statsd_exporter without mapping', () => {
	it('when a tagged run ends, then its trends are summaries with quantiles, per endpoint', async () => {
		const testid = randomUUID();
		const run = await runK6(['-o', 'output-statsd', '--vus', '1', '--duration', '2s', '--tag', `testid=${testid}`], {
			K6_STATSD_ADDR: STATSD_SUMMARY, K6_STATSD_ENABLE_TAGS: 'true',
		});
		expect(run.code, run.stderr).toBe(0);
		const series = await eventually('the summary series to be scraped', async () => {
			const result = await query(`k6_http_req_duration{testid="${testid}", quantile="0.99"}`);
			return result.length > 0 && new Set(result.map(s => s.metric.name)).size === ENDPOINT_NAMES.length ? result : undefined;
		});
		expect(series.every(s => s.metric.job === 'statsd-exporter-summary')).toBe(true);
		expect(await query(`k6_http_req_duration_bucket{testid="${testid}"}`)).toEqual([]);
	});
});

describe('Given a stock k6 (no StatsD) pushing with -o experimental-prometheus-rw', () => {
	it('when the run ends, then Prometheus has k6_http_reqs_total, k6_http_req_duration_p99 and k6_vus for it', async () => {
		const flags = await (await fetch(`${PROMETHEUS}/api/v1/status/flags`)).json() as {data: Record<string, string>};
		expect(flags.data['web.enable-remote-write-receiver'], 'Prometheus must run with --web.enable-remote-write-receiver (stack/compose.yml does)').toBe('true');
		const testid = randomUUID();
		const run = await runK6(['-o', 'experimental-prometheus-rw', '--vus', '2', '--duration', '2s', '--tag', `testid=${testid}`], {
			FAKE_K6_FLAVOR: 'stock', K6_PROMETHEUS_RW_SERVER_URL: `${PROMETHEUS}/api/v1/write`, K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
		});
		expect(run.code, run.stderr).toBe(0);
		expect(run.stderr).toBe('');
		const total = await eventually('remote-written samples', async () => {
			const result = await query(`sum(k6_http_reqs_total{testid="${testid}"})`);
			return result.length === 1 && Number(result[0]!.value[1]) === run.requests ? result : undefined;
		}, 15_000);
		expect(total).toHaveLength(1);
		const p99 = await query(`k6_http_req_duration_p99{testid="${testid}"}`);
		expect([...new Set(p99.map(s => s.metric.name))].sort()).toEqual(ENDPOINT_NAMES);
		for (const s of p99) expect(Number(s.value[1])).toBeLessThan(5); // seconds, not milliseconds
		expect(await query(`k6_vus{testid="${testid}"}`)).toHaveLength(1);
		expect(await query(`k6_http_req_failed_rate{testid="${testid}", status="500"}`)).not.toEqual([]);
	});
});
