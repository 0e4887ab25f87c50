import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {PrometheusClient} from '../../source/prometheus/client.js';
import {windowFor} from '../../source/prometheus/window.js';
import type {Window} from '../../source/snapshot/types.js';

// A local Prometheus stand-in that counts the range requests reaching it; it can be told to fail the next ones.
let server: http.Server;
let client: PrometheusClient;
let requests = 0;
let failing = false;

beforeAll(async () => {
	server = http.createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			requests++;
			response.writeHead(failing ? 503 : 200, {'content-type': 'application/json'});
			const data = request.url?.includes('/labels')
				? ['job', `tag${requests}`]
				: {resultType: 'matrix', result: [{metric: {job: 'a'}, values: [[1_764_000_000, String(requests)]]}]};
			response.end(failing ? 'Service Unavailable' : JSON.stringify({status: 'success', data}));
		});
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	client = new PrometheusClient({url, credentials: {kind: 'none'}, headers: {}, timeoutMs: 2000});
});

afterAll(async () => {
	client.close();
	await new Promise(resolve => {
		server.close(resolve);
	});
});

beforeEach(() => {
	requests = 0;
	failing = false;
});

let end = Date.parse('2026-12-01T10:00:00Z');
/** A 5-minute window of 16 points that no earlier test asked about. */
const freshWindow = (): Window => windowFor(new Date(end += 3_600_000), 300_000, 16);

describe('Given polls within one sparkline step (the window stays the same)', () => {
	test('when a range query is asked again, then Prometheus is not asked again and the answer is the same', async () => {
		const window = freshWindow();
		const first = await client.range('up', window);
		const second = await client.range('up', window);
		expect(requests).toBe(1);
		expect(second).toEqual(first);
	});

	test('when the window moves on, then it is asked again', async () => {
		await client.range('up', freshWindow());
		await client.range('up', freshWindow());
		expect(requests).toBe(2);
	});

	test('when the first answer was a failure, then it is not kept: the next poll asks again and gets the data', async () => {
		const window = freshWindow();
		failing = true;
		expect((await client.range('up', window)).ok).toBe(false);
		failing = false;
		expect((await client.range('up', window)).ok).toBe(true);
		expect(requests).toBe(2);
	});

	test('when a run summary asks about its own window between two polls, then neither forgets its answers; a third window drops the oldest', async () => {
		const [poll, summary, later] = [freshWindow(), freshWindow(), freshWindow()];
		for (const window of [poll, summary, poll, summary]) {
			await client.range('up', window);
		}

		expect(requests).toBe(2);
		await client.range('up', later);
		await client.range('up', summary);
		await client.range('up', poll);
		expect(requests).toBe(4);
	});
});

describe('Given polls within one sparkline step asking for label names since the window start', () => {
	test('when the later polls ask up to their own time, then the first answer serves them and Prometheus is asked once', async () => {
		const window = freshWindow();
		const start = new Date(window.start);
		const first = await client.labelNames('k6_http_reqs', start, new Date(window.end));
		const later = await client.labelNames('k6_http_reqs', start, new Date(Date.parse(window.end) + 15_000));
		expect(later).toEqual(first);
		expect(requests).toBe(1);
	});

	test('when the window start moves on, or the first answer was a failure, then it is asked again', async () => {
		const window = freshWindow();
		failing = true;
		expect((await client.labelNames('k6_http_reqs', new Date(window.start), new Date(window.end))).ok).toBe(false);
		failing = false;
		expect((await client.labelNames('k6_http_reqs', new Date(window.start), new Date(window.end))).ok).toBe(true);
		const next = freshWindow();
		expect(await client.labelNames('k6_http_reqs', new Date(next.start), new Date(next.end))).toEqual({ok: true, value: ['job', 'tag3']});
		expect(requests).toBe(3);
	});
});
