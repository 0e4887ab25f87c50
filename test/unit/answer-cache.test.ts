import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {PrometheusClient} from '../../source/prometheus/client.js';
import {windowFor} from '../../source/prometheus/window.js';

// A local Prometheus stand-in that counts the requests reaching it; it can be told to fail the next ones.
let server: http.Server;
let client: PrometheusClient;
let requests = 0;
let failing = false;

const answer = (path: string) => JSON.stringify({
	status: 'success',
	data: path.endsWith('query_range')
		? {resultType: 'matrix', result: [{metric: {job: 'a'}, values: [[1_764_000_000, '1']]}]}
		: {resultType: 'vector', result: [{metric: {job: 'a'}, value: [1_764_000_000, String(requests)]}]},
});

beforeAll(async () => {
	server = http.createServer((request, response) => {
		request.resume();
		request.on('end', () => {
			requests++;
			response.writeHead(failing ? 503 : 200, {'content-type': 'application/json'});
			response.end(failing ? 'Service Unavailable' : answer(request.url ?? ''));
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

let grain = Date.parse('2026-12-01T10:00:00Z');
/** A time no earlier test asked about. */
const freshTime = () => new Date(grain += 5000);

describe('Given polls that ask about the same moment (at 2 s, three polls in five share a 5-s grain)', () => {
	test('when a query is asked again for that moment, then Prometheus is not asked again and the answer is the same', async () => {
		const at = freshTime();
		const first = await client.instant('up', at);
		const second = await client.instant('up', at);
		expect(requests).toBe(1);
		expect(second).toEqual(first);
	});

	test('when the next grain comes, then it is asked again', async () => {
		await client.instant('up', freshTime());
		await client.instant('up', freshTime());
		expect(requests).toBe(2);
	});

	test('when the first answer was a failure, then it is not kept: the next poll asks again and gets the data', async () => {
		const at = freshTime();
		failing = true;
		expect((await client.instant('up', at)).ok).toBe(false);
		failing = false;
		expect((await client.instant('up', at)).ok).toBe(true);
		expect(requests).toBe(2);
	});

	test('when a run summary asks about another moment between two polls, then neither forgets its answers; a third moment drops the oldest', async () => {
		const [poll, summary, later] = [freshTime(), freshTime(), freshTime()];
		for (const at of [poll, summary, poll, summary]) {
			await client.instant('up', at);
		}

		expect(requests).toBe(2);
		await client.instant('up', later);
		await client.instant('up', summary);
		await client.instant('up', poll);
		expect(requests).toBe(4);
	});
});

describe('Given polls within one sparkline step', () => {
	test('when a range query is asked again for the same window, then it is answered without a request; a new window asks', async () => {
		const window = windowFor(freshTime(), 300_000, 16);
		await client.range('up', window);
		await client.range('up', window);
		expect(requests).toBe(1);
		await client.range('up', windowFor(new Date(Date.parse(window.end) + (window.stepSeconds * 1000)), 300_000, 16));
		expect(requests).toBe(2);
	});
});
