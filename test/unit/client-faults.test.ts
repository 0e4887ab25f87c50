import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {PrometheusClient} from '../../source/prometheus/client.js';
import {windowFor} from '../../source/prometheus/window.js';

// A local HTTP server that misbehaves in the ways a real Prometheus, a proxy in front of it or a wrong URL do.
// A streamed reply is written chunk by chunk as the socket drains, so the server never holds it whole and
// `streamed` tells how much of it the client read before hanging up.
type Reply = {status?: number; type?: string; body: string | Buffer; delayMs?: number; repeat?: number; location?: string};
const replies: Record<string, Reply> = {};
const streamed: Record<string, number> = {};
let server: http.Server;
let base: string;

const vector = (count: number) => JSON.stringify({
	status: 'success',
	data: {resultType: 'vector', result: Array.from({length: count}, (_, index) => ({metric: {__name__: 'up', instance: `i${index}`}, value: [1_764_000_000, String(index)]}))},
});

beforeAll(async () => {
	server = http.createServer((request, response) => {
		const scenario = new URL(request.url ?? '/', 'http://x').pathname.split('/')[1] ?? '';
		const reply = replies[scenario] ?? {status: 404, body: 'no such scenario'};
		setTimeout(() => {
			response.writeHead(reply.status ?? 200, {'content-type': reply.type ?? 'application/json', ...(reply.location ? {location: reply.location} : {})});
			if (reply.repeat === undefined) {
				response.end(reply.body);
				return;
			}

			streamBody(response, scenario, Buffer.from(reply.body), reply.repeat);
		}, reply.delayMs ?? 0).unref();
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	Object.assign(replies, {
		slow: {delayMs: 3000, body: vector(1)},
		'server-error': {status: 500, body: 'internal server error', type: 'text/plain'},
		'bad-gateway': {status: 502, body: '<html><body>502 Bad Gateway</body></html>', type: 'text/html'},
		unavailable: {status: 503, body: 'Service Unavailable', type: 'text/plain'},
		unauthorised: {status: 401, body: 'Unauthorized', type: 'text/plain'},
		forbidden: {status: 403, body: 'Forbidden', type: 'text/plain'},
		redirect: {status: 302, body: '<a href="/login">Found</a>.', type: 'text/html', location: '/login'},
		garbage: {body: 'lorem ipsum', type: 'text/plain'},
		html: {body: '<!doctype html><title>Grafana</title>', type: 'text/html'},
		truncated: {body: vector(3).slice(0, 60)},
		envelope: {status: 400, body: JSON.stringify({status: 'error', errorType: 'bad_data', error: 'parse error at char 5: unexpected "}"'})},
		'wrong-type': {body: JSON.stringify({status: 'success', data: {resultType: 'matrix', result: []}})},
		infinities: {body: JSON.stringify({status: 'success', data: {resultType: 'vector', result: [
			{metric: {le: '+Inf'}, value: [1, '+Inf']}, {metric: {}, value: [1, '-Inf']}, {metric: {}, value: [1, 'NaN']},
		]}})},
		many: {body: vector(10_000)},
		// 50 MB (the hostile size) of a JSON string that never closes, sent as 50 chunks of 1 MB.
		huge: {body: Buffer.alloc(1_000_000, 0x61), repeat: 50},
		empty: {body: JSON.stringify({status: 'success', data: {resultType: 'vector', result: []}})},
	});
});

function streamBody(response: http.ServerResponse, scenario: string, chunk: Buffer, repeat: number) {
	streamed[scenario] = 0;
	let left = repeat;
	const writeMore = () => {
		while (left > 0 && !response.destroyed) {
			left--;
			streamed[scenario]! += chunk.length;
			if (!response.write(chunk)) {
				response.once('drain', writeMore);
				return;
			}
		}

		response.end();
	};

	writeMore();
}

afterAll(async () => {
	await new Promise(resolve => {
		server.close(resolve);
	});
});

const clientFor = (scenario: string, timeoutMs = 1000) => new PrometheusClient({
	url: `${base}/${scenario}`,
	credentials: {kind: 'basic', username: 'ann', password: 'hunter2-secret'},
	headers: {},
	timeoutMs,
});

const now = new Date('2026-11-24T10:00:00Z');

describe('Given a Prometheus endpoint that misbehaves', () => {
	test.each([
		{scenario: 'slow', kind: 'timeout', text: /did not answer within 1000 ms/},
		{scenario: 'server-error', kind: 'http', text: /HTTP 500/},
		{scenario: 'bad-gateway', kind: 'http', text: /HTTP 502/},
		{scenario: 'unavailable', kind: 'http', text: /HTTP 503/},
		{scenario: 'unauthorised', kind: 'auth', text: /refused the credentials \(HTTP 401\)/},
		{scenario: 'forbidden', kind: 'auth', text: /HTTP 403/},
		{scenario: 'redirect', kind: 'http', text: /redirect \(HTTP 302\), which kmon does not follow/},
		{scenario: 'garbage', kind: 'malformed', text: /not JSON/},
		{scenario: 'html', kind: 'malformed', text: /HTML page/},
		{scenario: 'truncated', kind: 'malformed', text: /truncated or invalid JSON/},
		{scenario: 'envelope', kind: 'http', text: /HTTP 400: parse error at char 5/},
		{scenario: 'wrong-type', kind: 'malformed', text: /expected a vector .* got "matrix"/},
	])('when it answers "$scenario", then the query fails as $kind with a clear message and no secret', async ({scenario, kind, text}) => {
		const started = Date.now();
		const result = await clientFor(scenario).instant('up', now);
		expect(result.ok).toBe(false);
		if (!result.ok) {
			expect(result.error.kind).toBe(kind);
			expect(result.error.message).toMatch(text);
			expect(JSON.stringify(result.error)).not.toContain('hunter2');
		}

		// Nothing hangs past the timeout (with slack for a loaded 2-core machine).
		expect(Date.now() - started).toBeLessThan(2500);
	});

	test('when it streams a 50 MB body, then kmon stops reading at its limit instead of holding all of it', async () => {
		const result = await clientFor('huge', 10_000).instant('up', now);
		expect(result).toMatchObject({ok: false, error: {kind: 'malformed', message: expect.stringMatching(/sent a response over the 32 MiB kmon accepts/)}});
		// The limit (32 MiB = 33.6 MB) plus what socket buffers held when kmon hung up; never the whole 50 MB.
		expect(streamed['huge']).toBeGreaterThan(30_000_000);
		expect(streamed['huge']).toBeLessThan(45_000_000);
	});

	test('when nothing listens on the port, then the query fails as unreachable', async () => {
		const client = new PrometheusClient({url: 'http://127.0.0.1:1', credentials: {kind: 'none'}, headers: {}, timeoutMs: 1000});
		const result = await client.instant('up', now);
		expect(result).toMatchObject({ok: false, error: {kind: 'unreachable', message: expect.stringMatching(/connection refused/)}});
	});
});

describe('Given a Prometheus that answers with unusual values', () => {
	test('then +Inf and -Inf survive as infinities and NaN stays NaN, for the domain to call unknown', async () => {
		const result = await clientFor('infinities').instant('x', now);
		expect(result.ok && result.value.map(sample => sample.value)).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN]);
		expect(result.ok && result.value[0]!.labels['le']).toBe('+Inf');
	});

	test('then 10,000 series come back whole and the bytes are counted', async () => {
		const client = clientFor('many');
		const result = await client.instant('up', now);
		expect(result.ok && result.value).toHaveLength(10_000);
		expect(client.traffic.queries).toBe(1);
		expect(client.traffic.bytes).toBeGreaterThan(500_000);
	});

	test('then an empty result is an empty list, not an error', async () => {
		const result = await clientFor('empty').instant('up', now);
		expect(result).toEqual({ok: true, value: []});
	});

	test('then a range query asked of a vector endpoint reports the wrong type', async () => {
		const result = await clientFor('empty').range('up', windowFor(now, 300_000, 60));
		expect(result).toMatchObject({ok: false, error: {kind: 'malformed'}});
	});
});

describe('Given two polls within the same window', () => {
	test('then the second poll\'s range queries are answered without asking Prometheus again', async () => {
		replies['matrix'] = {body: JSON.stringify({status: 'success', data: {resultType: 'matrix', result: [{metric: {}, values: [[1_764_000_000, '1']]}]}})};
		const client = clientFor('matrix');
		const window = windowFor(now, 300_000, 60);
		const first = await client.range('up', window);
		const second = await client.range('up', window);
		expect(second).toEqual(first);
		expect(client.traffic.queries).toBe(1);
		await client.range('up', windowFor(new Date(now.getTime() + 5000), 300_000, 60));
		expect(client.traffic.queries).toBe(2);
	});
});
