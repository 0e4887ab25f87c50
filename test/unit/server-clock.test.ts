import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {describe, expect, test} from 'vitest';
import {PrometheusClient} from '../../source/prometheus/client.js';
import {ServerClock} from '../../source/prometheus/server-clock.js';

const at = Date.parse('2026-01-02T10:00:00.000Z');
const header = (ms: number) => new Date(ms).toUTCString();

describe('Given answers whose Date headers say Prometheus\'s time', () => {
	test('when none has come yet, then the offset is unknown and the time is this machine\'s', () => {
		const clock = new ServerClock();
		expect(clock.offsetMs).toBeNull();
		expect(clock.now(at).getTime()).toBe(at);
	});

	test('when several come with Prometheus two minutes ahead, at moments all over its second, then the offset narrows to the round trip', () => {
		const clock = new ServerClock();
		// The true offset is 120.4 s; each answer takes 20 ms and is written 10 ms in, at .98, .02, .71 and .31 of a second.
		for (const sentAt of [at + 570, at + 1610, at + 2300, at + 3900]) {
			clock.observe(header(sentAt + 10 + 120_400), sentAt, sentAt + 20);
		}

		expect(Math.abs(clock.offsetMs! - 120_400)).toBeLessThanOrEqual(30);
		expect(Math.abs(clock.now(at).getTime() - (at + 120_400))).toBeLessThanOrEqual(30);
	});

	test('when one of the clocks is stepped by an hour, then the offset follows at the next answer', () => {
		const clock = new ServerClock();
		clock.observe(header(at + 120_000), at, at + 20);
		clock.observe(header(at + 5000 - 3_600_000), at + 5000, at + 5020);
		expect(Math.abs(clock.offsetMs! + 3_600_000)).toBeLessThanOrEqual(1000);
	});

	test('when an answer has no Date header, then it says nothing about the offset', () => {
		const clock = new ServerClock();
		clock.observe(undefined, at, at + 20);
		clock.observe('not a date', at, at + 20);
		expect(clock.offsetMs).toBeNull();
	});
});

describe('Given a Prometheus whose clock is an hour behind this machine\'s', () => {
	test('when the client asks for Prometheus\'s time, then it has measured the hour from the first answer', async () => {
		const server = http.createServer((_request, response) => {
			response.writeHead(200, {'content-type': 'application/json', date: header(Date.now() - 3_600_000)});
			response.end(JSON.stringify({status: 'success', data: {version: '2.42.0'}}));
		});
		await new Promise<void>(resolve => {
			server.listen(0, '127.0.0.1', resolve);
		});
		const client = new PrometheusClient({url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, credentials: {kind: 'none'}, headers: {}, timeoutMs: 2000});
		try {
			const serverNow = await client.serverNow();
			expect(Math.abs(serverNow.getTime() - (Date.now() - 3_600_000))).toBeLessThan(1500);
			expect(Math.abs(client.clock.offsetMs! + 3_600_000)).toBeLessThan(1500);
		} finally {
			client.close();
			server.close();
		}
	});
});
