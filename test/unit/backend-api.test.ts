import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {resolveConfig} from '../../source/config/config.js';
import {UsageError} from '../../source/config/usage-error.js';
import {collectTargets} from '../../source/domains/targets.js';
import {PrometheusClient} from '../../source/prometheus/client.js';

// What kmon sends to backends other than a plain Prometheus, and how it reads what they answer, against a local
// server. The answers are those the real Thanos Query 0.42.5 and VictoriaMetrics 1.151.0 of the test stack gave
// (test/stack/backends.sh); the e2e test test/e2e/backends.test.ts runs kmon against the engines themselves.

type Seen = {path: string; tenant: string | undefined};
const seen: Seen[] = [];
type Reply = {status: number; type: string; body: string};
let answer: Reply | undefined;
/** What /api/v1/targets answers; queries of timestamp(…) get `scrapedAt`. */
let targetsReply: Reply | undefined;
const scrapedAt = JSON.stringify({status: 'success', data: {resultType: 'vector', result: [{metric: {job: 'kafka-exporter'}, value: [1_796_397_808, '1796397804.565']}]}});
let server: http.Server;
let origin: string;

const vector = (extra: Record<string, unknown> = {}) => JSON.stringify({status: 'success', data: {resultType: 'vector', result: [{metric: {job: 'kafka-exporter'}, value: [1_796_397_808, '1']}]}, ...extra});

beforeAll(async () => {
	server = http.createServer((request, response) => {
		const path = new URL(request.url ?? '/', 'http://x').pathname;
		seen.push({path, tenant: request.headers['x-scope-orgid'] as string | undefined});
		let form = '';
		request.on('data', (chunk: Buffer) => {
			form += chunk.toString();
		}).on('end', () => {
			const json = (body: string) => ({status: 200, type: 'application/json', body});
			const reply = (path.endsWith('/targets') ? targetsReply : undefined)
				?? (form.includes('timestamp') ? json(scrapedAt) : undefined)
				?? answer ?? json(vector());
			response.writeHead(reply.status, {'content-type': reply.type}).end(reply.body);
		});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => new Promise(resolve => {
	server.close(() => resolve(undefined));
}));

const clientFor = (url: string, headers: Record<string, string> = {}) => new PrometheusClient({url, credentials: {kind: 'none'}, headers, timeoutMs: 2000, batchSize: 1});

describe('Given a base URL with a path, as VictoriaMetrics cluster and Mimir serve the API', () => {
	test.each([
		{base: '/select/0/prometheus', expected: '/select/0/prometheus/api/v1/query'},
		{base: '/select/0/prometheus/', expected: '/select/0/prometheus/api/v1/query'},
		{base: '/prometheus', expected: '/prometheus/api/v1/query'},
		{base: '', expected: '/api/v1/query'},
	])('when kmon queries "$base", then the request goes to $expected with the tenant header', async ({base, expected}) => {
		const config = resolveConfig({flags: {prometheus: `${origin}${base}`, header: ['X-Scope-OrgID: team']}, env: {}, file: {}});
		const client = clientFor(config.prometheusUrl, config.headers);
		seen.length = 0;
		const result = await client.instant('up', new Date());
		client.close();
		expect(result.ok).toBe(true);
		expect(seen).toEqual([{path: expected, tenant: 'team'}]);
	});

	test.each(['http://host/prometheus?tenant=team', 'http://host/prometheus#top'])('when it is "%s", then kmon refuses it in one line', url => {
		expect(() => resolveConfig({flags: {prometheus: url}, env: {}, file: {}})).toThrow(UsageError);
		expect(() => resolveConfig({flags: {prometheus: url}, env: {}, file: {}})).toThrow(/without \?query or #fragment/);
	});
});

describe('Given --at', () => {
	test('when it is an ISO time or Unix seconds in the past, then the snapshot is of that time', () => {
		expect(resolveConfig({flags: {at: '2026-12-04T15:00:00Z'}, env: {}, file: {}}).at?.toISOString()).toBe('2026-12-04T15:00:00.000Z');
		expect(resolveConfig({flags: {at: '1796397800'}, env: {}, file: {}}).at?.toISOString()).toBe('2026-12-04T15:23:20.000Z');
	});

	test.each(['yesterday', 'Dec 4 2026', '9999999999'])('when it is "%s", then kmon refuses it in one line', text => {
		expect(() => resolveConfig({flags: {at: text}, env: {}, file: {}})).toThrow(UsageError);
	});
});

describe('Given a backend that answers with warnings', () => {
	test('when Thanos says a store did not answer, then the client hands the warning on once, and drops PromQL info notes', async () => {
		answer = {status: 200, type: 'application/json', body: vector({warnings: [
			'fetch series for Store Gateway Addr: 127.0.0.1:24913 MinTime: -9223372036854775808 MaxTime: 9223372036854775807: rpc error: code = Unavailable',
			'PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "k6_http_reqs"',
		]})};
		const client = clientFor(origin);
		const [first, second] = [await client.instant('up', new Date()), await client.instant('up', new Date(0))];
		answer = undefined;
		expect(first.ok && second.ok).toBe(true);
		expect(client.takeWarnings()).toEqual([expect.stringMatching(/^fetch series for Store Gateway Addr: 127\.0\.0\.1:24913/)]);
		expect(client.takeWarnings()).toEqual([]);
		client.close();
	});
});

describe('Given a backend without the list of scrape targets', () => {
	const at = new Date(1_796_397_808_000);
	test.each([
		{backend: 'Thanos Query or Prometheus, for an unknown path', status: 404, type: 'text/plain', body: '404 page not found', reason: /has no Prometheus targets API \(\/api\/v1\/targets answered HTTP 404\)/},
		{backend: 'VictoriaMetrics, for a path it does not serve', status: 400, type: 'text/plain', body: 'unsupported path requested: "/api/v1/targets"', reason: /HTTP 400/},
		{backend: 'VictoriaMetrics fed by remote write', status: 200, type: 'application/json', body: JSON.stringify({status: 'success', data: {activeTargets: [], droppedTargets: []}}), reason: /lists no scrape targets of its own/},
	])('when it is $backend, then health comes from the up series, with a diagnostic that says so', async ({status, type, body, reason}) => {
		const client = clientFor(origin);
		targetsReply = {status, type, body};
		const found = await collectTargets(client, at, {past: false});
		targetsReply = undefined;
		client.close();
		expect(found).toEqual({ok: true, value: {
			targets: [{job: 'kafka-exporter', instance: '', health: 'up', lastError: null, lastScrape: '2026-12-04T15:23:24.565Z'}],
			diagnostics: [expect.objectContaining({id: 'targets-from-up', severity: 'info', message: expect.stringMatching(reason)})],
		}});
	});

	test('when the list answers with an error of the connection, then that error is kept, not hidden by up', async () => {
		const client = clientFor('http://127.0.0.1:1');
		const found = await collectTargets(client, at, {past: false});
		client.close();
		expect(found.ok).toBe(false);
		expect(!found.ok && found.error.kind).toBe('unreachable');
	});
});
