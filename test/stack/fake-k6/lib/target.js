// The HTTP service fake-k6's virtual users load: a real server on 127.0.0.1 (ephemeral port) with
// endpoints of different latencies and a deterministic share of error responses, so per-endpoint
// views (name, status, error_code, expected_response) have something to show.

import http from 'node:http';

/**
 * One step of the VU iteration. `name` is the k6 `name` tag the request carries (as a script would set
 * with {tags: {name: ...}}); `group` the k6 group it runs in ('' = root); `errorEvery` makes every
 * n-th request to the endpoint answer `errorStatus`; `every` runs the step only on every n-th iteration.
 * @typedef {{name: string, method: 'GET'|'POST', path: string, group: string, delayMs: number,
 *            status: number, errorEvery?: number, errorStatus?: number, body?: string, every?: number,
 *            check: string}} Endpoint
 */

/** @type {readonly Endpoint[]} */
export const ENDPOINTS = Object.freeze([
	{name: 'GET /items', method: 'GET', path: '/items', group: '', delayMs: 4, status: 200, check: 'items status is 200'},
	{
		name: 'GET /items/:id', method: 'GET', path: '/items/{id}', group: '', delayMs: 12, status: 200,
		errorEvery: 10, errorStatus: 404, check: 'item status is 200',
	},
	{
		name: 'POST /cart', method: 'POST', path: '/cart', group: 'checkout', delayMs: 20, status: 201,
		body: JSON.stringify({item: 42, quantity: 1}), check: 'cart status is 201',
	},
	{
		name: 'POST /orders', method: 'POST', path: '/orders', group: 'checkout', delayMs: 45, status: 201,
		errorEvery: 7, errorStatus: 500, check: 'order status is 201',
	},
	{
		name: 'GET /report', method: 'GET', path: '/report', group: '', delayMs: 120, status: 200, every: 3,
		check: 'report status is 200',
	},
]);

function routeOf(method, pathname) {
	return ENDPOINTS.find((e) => {
		if (e.method !== method) return false;
		const pattern = new RegExp(`^${e.path.replace('{id}', '\\d+')}$`);
		return pattern.test(pathname);
	});
}

/**
 * Starts the target. Resolves to {url, close()}.
 * @param {{host?: string}} [options]
 */
export async function startTarget({host = '127.0.0.1'} = {}) {
	const hits = new Map();
	const sockets = new Set();
	const server = http.createServer((req, res) => {
		const {pathname} = new URL(req.url ?? '/', 'http://target');
		const route = routeOf(req.method ?? 'GET', pathname);
		req.resume();
		req.on('end', () => {
			if (!route) {
				res.writeHead(404, {'content-type': 'application/json'});
				res.end('{"error":"no such endpoint"}');
				return;
			}
			const n = (hits.get(route.name) ?? 0) + 1;
			hits.set(route.name, n);
			const failing = route.errorEvery !== undefined && n % route.errorEvery === 0;
			const status = failing ? route.errorStatus : route.status;
			// A little deterministic spread around the base latency.
			const delay = route.delayMs + (n % 5);
			const timer = setTimeout(() => {
				const body = JSON.stringify(failing
					? {error: status === 404 ? 'not found' : 'internal error', request: n}
					: {endpoint: route.name, request: n, items: Array.from({length: 8}, (_, i) => ({id: i, title: `item ${i}`}))});
				res.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(body)});
				res.end(body);
			}, delay);
			res.on('close', () => clearTimeout(timer));
		});
	});
	server.keepAliveTimeout = 30_000;
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, host, () => resolve(undefined));
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://${host}:${address.port}`,
		hits,
		close: () => new Promise((resolve) => {
			for (const socket of sockets) socket.destroy();
			server.close(() => resolve(undefined));
		}),
	};
}
