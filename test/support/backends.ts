import {execFile} from 'node:child_process';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {promisify} from 'node:util';
import type {Snapshot} from '../../source/snapshot/types.js';
import {eventually, kmon} from './stack.js';

// The opt-in backends of the test stack (test/stack/backends.sh, ports in test/stack/PORTS.md).
export const backendUrls = {
	/** Prometheus replica a: scrapes the stack's targets; the others hold its samples. */
	replicaA: 'http://127.0.0.1:24901',
	thanosQuery: 'http://127.0.0.1:24920',
	victoriaMetrics: 'http://127.0.0.1:24928',
} as const;

export const sidecarAGrpc = '127.0.0.1:24911';

const run = promisify(execFile);

/**
 * Starts the backends with the project's script unless they already run (e2e.sh starts them before the suite,
 * so their history is long enough by the time a test needs it). Resolves with a stop function that stops them
 * only if this call started them.
 */
export async function startBackendsIfNeeded(): Promise<() => Promise<void>> {
	const running = await ready(`${backendUrls.thanosQuery}/-/ready`) && await ready(`${backendUrls.victoriaMetrics}/health`);
	if (running) {
		return async () => undefined;
	}

	await run('bash', ['test/stack/backends.sh', 'up']);
	return async () => {
		await run('bash', ['test/stack/backends.sh', 'down']);
	};
}

async function ready(url: string): Promise<boolean> {
	try {
		return (await fetch(url, {signal: AbortSignal.timeout(2000)})).ok;
	} catch {
		return false;
	}
}

/** A direct instant query against one backend, independent of kmon's client. */
export async function query(base: string, promql: string, seconds: number, extra: Record<string, string> = {}): Promise<Array<{metric: Record<string, string>; value: number}>> {
	const response = await fetch(`${base}/api/v1/query`, {method: 'POST', body: new URLSearchParams({query: promql, time: String(seconds), ...extra})});
	const body = await response.json() as {status: string; data: {result: Array<{metric: Record<string, string>; value: [number, string]}>}};
	if (body.status !== 'success') {
		throw new Error(`query failed on ${base}: ${promql}: ${JSON.stringify(body)}`);
	}

	return body.data.result.map(item => ({metric: item.metric, value: Number(item.value[1])}));
}

/**
 * A past evaluation time every backend holds the same samples for, over a whole window of `windowSeconds` plus
 * the minute a rate looks back: VictoriaMetrics shows nothing newer than 30 s (its -search.latencyOffset) and the
 * remote-written copies trail replica a by a second or two, so 40 s ago; and replica a must have scraped since
 * before the window (a fresh start waits here for it, with what it waits for in the message).
 */
export async function commonPastTime(windowSeconds: number): Promise<Date> {
	const pastTime = () => Math.floor((Date.now() - 40_000) / 5000) * 5;
	// The time moves on while it waits: a fixed one would ask for samples from before replica a started, forever.
	let at = pastTime();
	await eventually(`replica a to hold samples from before ${windowSeconds + 60} s ago (the window and a rate's minute)`, async () => {
		at = pastTime();
		const early = await query(backendUrls.replicaA, 'count(up)', at - windowSeconds - 60);
		return early.length > 0 ? true : undefined;
	}, 480_000);
	for (const base of [backendUrls.thanosQuery, backendUrls.victoriaMetrics]) {
		await eventually(`${base} to hold replica a's samples up to ${new Date(at * 1000).toISOString()}`, async () => {
			const [copy] = await query(base, 'max(timestamp(up))', at);
			const [original] = await query(backendUrls.replicaA, 'max(timestamp(up))', at);
			return copy !== undefined && copy.value === original?.value ? true : undefined;
		});
	}

	return new Date(at * 1000);
}

/** `kmon --once --json` against a backend, parsed; fails with kmon's stderr if it exits non-zero. */
export async function snapshotOf(url: string, args: string[] = []): Promise<Snapshot> {
	const result = await kmon(['--once', '--json', '--prometheus', url, ...args]);
	if (result.code !== 0) {
		throw new Error(`kmon --once --json --prometheus ${url} exited ${result.code}: ${result.stderr}`);
	}

	return JSON.parse(result.stdout) as Snapshot;
}

export type PrefixProxy = {url: string; requests: () => number; refused: () => number; close: () => Promise<void>};

/**
 * A reverse proxy in front of a backend the way VictoriaMetrics cluster (`/select/0/prometheus`) and Mimir
 * (`/prometheus`) are reached: the API is under `prefix`, and a request without the tenant header is refused
 * with 401 as Mimir does. The prefix is taken off before the request goes on.
 */
export async function prefixProxy(target: string, prefix: string, tenant: {header: string; value: string}): Promise<PrefixProxy> {
	const upstream = new URL(target);
	let requests = 0;
	let refused = 0;
	const server = http.createServer((request, response) => {
		const path = request.url ?? '/';
		if (request.headers[tenant.header.toLowerCase()] !== tenant.value) {
			refused++;
			response.writeHead(401, {'content-type': 'text/plain'}).end('no org id');
			return;
		}

		if (!path.startsWith(`${prefix}/`)) {
			refused++;
			response.writeHead(404, {'content-type': 'text/plain'}).end('404 page not found');
			return;
		}

		requests++;
		const forwarded = http.request({host: upstream.hostname, port: upstream.port, method: request.method, path: path.slice(prefix.length), headers: request.headers}, answer => {
			response.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(response);
		});
		forwarded.on('error', () => response.writeHead(502).end('bad gateway'));
		request.pipe(forwarded);
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`,
		requests: () => requests,
		refused: () => refused,
		close: async () => new Promise(resolve => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};
}
