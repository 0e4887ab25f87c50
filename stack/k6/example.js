// Example k6 load test for the kmon stack. Run it the way kmon does (StatsD with tags on):
//
//   K6_STATSD_ENABLE_TAGS=true K6_STATSD_ADDR=127.0.0.1:8125 \
//     k6 run -o output-statsd -e BASE_URL=http://localhost:3000 stack/k6/example.js
//
// (`-o output-statsd` needs a k6 built with github.com/LeonAdato/xk6-output-statsd; k6 < v0.55 uses
// `-o statsd`; a stock k6 can use `-o experimental-prometheus-rw` instead, see stack/README.md.)
//
// Every request carries a `name` tag, so per-endpoint views do not split by URL (ids, query strings),
// and requests inside group() carry `group` (e.g. "::checkout"). k6 adds method, status, scenario,
// expected_response and proto itself.
//
// Check names travel inside StatsD metric names (k6.check.<name>.pass): keep ':', '|', ',', '#' and
// newlines out of them, or statsd_exporter cannot parse the line (it counts it in
// statsd_exporter_sample_errors_total and drops it).
import http from 'k6/http';
import {check, group, sleep} from 'k6';

const BASE_URL = __ENV.BASE_URL || 'http://localhost:3000';

export const options = {
	scenarios: {
		browse: {
			executor: 'constant-vus',
			vus: 10,
			duration: '1m',
			tags: {flow: 'browse'},
		},
		checkout: {
			executor: 'ramping-arrival-rate',
			startRate: 1,
			timeUnit: '1s',
			preAllocatedVUs: 10,
			maxVUs: 50,
			stages: [
				{target: 20, duration: '30s'},
				{target: 20, duration: '30s'},
			],
			exec: 'checkout',
			tags: {flow: 'checkout'},
		},
	},
	thresholds: {
		http_req_failed: ['rate<0.05'],
		'http_req_duration{name:GET /items}': ['p(95)<300'],
	},
};

export default function () {
	const list = http.get(`${BASE_URL}/items`, {tags: {name: 'GET /items'}});
	check(list, {'items status is 200': (r) => r.status === 200});

	const id = Math.floor(Math.random() * 1000);
	const item = http.get(`${BASE_URL}/items/${id}`, {tags: {name: 'GET /items/:id'}});
	check(item, {'item status is 200': (r) => r.status === 200});

	sleep(1);
}

export function checkout() {
	group('checkout', () => {
		const cart = http.post(`${BASE_URL}/cart`, JSON.stringify({item: 42, quantity: 1}), {
			headers: {'Content-Type': 'application/json'},
			tags: {name: 'POST /cart'},
		});
		check(cart, {'cart status is 201': (r) => r.status === 201});

		const order = http.post(`${BASE_URL}/orders`, null, {tags: {name: 'POST /orders'}});
		check(order, {'order status is 201': (r) => r.status === 201});
	});
}
