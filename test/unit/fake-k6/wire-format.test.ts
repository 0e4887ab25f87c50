// fake-k6's StatsD output must put on the wire exactly what k6 with xk6-output-statsd (datadog-go
// v4.8.3) or k6 v0.54's built-in output (2018 datadog-go) sends.
import {describe, expect, it} from 'vitest';
import {formatFixed, formatShortest} from '../../stack/fake-k6/lib/gofmt.js';
import {
	commandForSample,
	ddGlobalTags,
	fnv1a32,
	formatCount,
	formatGauge,
	formatTiming,
	LegacyClient,
	MAX_UDP_PAYLOAD,
	OutputConfigError,
	statsdConfigFromEnv,
	StatsdOutput,
	tagList,
	V4Client,
} from '../../stack/fake-k6/lib/statsd.js';

const noTags = {enableTags: false, tagBlocklist: new Set(['vu', 'iter', 'url'])};
const withTags = {enableTags: true, tagBlocklist: new Set(['vu', 'iter', 'url'])};
const requestTags = {
	name: 'GET /items', url: 'GET /items', method: 'GET', status: '200', proto: 'HTTP/1.1', scenario: 'default',
	group: '', expected_response: 'true', vu: '3', iter: '17',
};

function render(command: {kind: string; name: string; value: number; tags: string[]}, style: 'v4' | 'legacy' = 'v4') {
	switch (command.kind) {
		case 'count': return formatCount('k6.', command.name, command.value, command.tags);
		case 'timing': return formatTiming('k6.', command.name, command.value, command.tags);
		default: return formatGauge('k6.', command.name, command.value, command.tags, [], style);
	}
}

describe('Given a k6 sample, when the StatsD output formats it without tags', () => {
	it.each([
		['a counter is an integer with |c', {metric: 'http_reqs', type: 'counter', value: 1}, 'k6.http_reqs:1|c'],
		['a counter value is truncated, not rounded', {metric: 'data_sent', type: 'counter', value: 1234.9}, 'k6.data_sent:1234|c'],
		['a trend is a timer in ms with 6 decimals', {metric: 'http_req_duration', type: 'trend', value: 12.3456789}, 'k6.http_req_duration:12.345679|ms'],
		['a zero trend keeps its decimals', {metric: 'http_req_connecting', type: 'trend', value: 0}, 'k6.http_req_connecting:0.000000|ms'],
		['a gauge uses the shortest form (datadog-go v4)', {metric: 'vus', type: 'gauge', value: 10}, 'k6.vus:10|g'],
		['a fractional gauge stays exact', {metric: 'vus', type: 'gauge', value: 2.5}, 'k6.vus:2.5|g'],
		['http_req_failed (a rate) is a 0/1 counter: 1', {metric: 'http_req_failed', type: 'rate', value: 1}, 'k6.http_req_failed:1|c'],
		['http_req_failed (a rate) is a 0/1 counter: 0', {metric: 'http_req_failed', type: 'rate', value: 0}, 'k6.http_req_failed:0|c'],
	])('then %s', (_, partial, expected) => {
		const command = commandForSample({...partial, tags: requestTags} as never, noTags);
		expect(render(command)).toBe(expected);
	});

	it.each([
		['a passed check', 1, 'k6.check.status is 200.pass:1|c'],
		['a failed check', 0, 'k6.check.status is 200.fail:1|c'],
	])('then %s becomes k6.check.<name>.pass|fail counted once', (_, value, expected) => {
		const command = commandForSample({metric: 'checks', type: 'rate', value, tags: {check: 'status is 200', scenario: 'default'}}, noTags);
		expect(render(command)).toBe(expected);
	});
});

describe('Given K6_STATSD_ENABLE_TAGS', () => {
	it('when it is off (the default), then no line carries |# tags', () => {
		const command = commandForSample({metric: 'http_reqs', type: 'counter', value: 1, tags: requestTags, time: 0}, noTags);
		expect(render(command)).not.toContain('|#');
	});

	it('when it is on, then the tags follow as |#key:value, without blocklisted (vu, iter, url) or empty (group) ones', () => {
		const line = render(commandForSample({metric: 'http_reqs', type: 'counter', value: 1, tags: requestTags, time: 0}, withTags));
		const [head, tags] = line.split('|#');
		expect(head).toBe('k6.http_reqs:1|c');
		expect(tags!.split(',').sort()).toEqual([
			'expected_response:true', 'method:GET', 'name:GET /items', 'proto:HTTP/1.1', 'scenario:default', 'status:200',
		]);
	});

	it.each([
		['a custom blocklist', new Set(['name', 'proto']), ['expected_response:true', 'iter:17', 'method:GET', 'scenario:default', 'status:200', 'url:GET /items', 'vu:3']],
		['an empty blocklist', new Set<string>(), ['expected_response:true', 'iter:17', 'method:GET', 'name:GET /items', 'proto:HTTP/1.1', 'scenario:default', 'status:200', 'url:GET /items', 'vu:3']],
	])('when K6_STATSD_TAG_BLOCKLIST is %s, then exactly the other non-empty tags are sent', (_, blocklist, expected) => {
		expect(tagList(requestTags, blocklist).sort()).toEqual(expected);
	});
});

describe('Given the K6_STATSD_* environment', () => {
	it('when nothing is set, then the defaults are those of the extension', () => {
		const config = statsdConfigFromEnv({});
		expect(config).toMatchObject({addr: 'localhost:8125', namespace: 'k6.', pushIntervalNs: 1e9, bufferSize: 20, enableTags: false});
		expect([...config.tagBlocklist].sort()).toEqual(['iter', 'url', 'vu']);
	});

	it.each([
		['K6_STATSD_ENABLE_TAGS', 'true', {enableTags: true}],
		['K6_STATSD_ENABLE_TAGS', '1', {enableTags: true}],
		['K6_STATSD_ENABLE_TAGS', 'False', {enableTags: false}],
		['K6_STATSD_ADDR', '127.0.0.1:9125', {addr: '127.0.0.1:9125'}],
		['K6_STATSD_NAMESPACE', 'load.', {namespace: 'load.'}],
		['K6_STATSD_PUSH_INTERVAL', '250ms', {pushIntervalNs: 250e6}],
		['K6_STATSD_BUFFER_SIZE', '5', {bufferSize: 5}],
	])('when %s=%s, then it is applied', (key, value, expected) => {
		expect(statsdConfigFromEnv({[key]: value})).toMatchObject(expected);
	});

	it.each([
		['K6_STATSD_ENABLE_TAGS', 'yes'],
		['K6_STATSD_PUSH_INTERVAL', 'soon'],
		['K6_STATSD_BUFFER_SIZE', 'many'],
	])('when %s=%s is not valid, then creating the output fails like envconfig does', (key, value) => {
		expect(() => statsdConfigFromEnv({[key]: value})).toThrow(OutputConfigError);
		expect(() => statsdConfigFromEnv({[key]: value})).toThrow(new RegExp(`assigning ${key} to`));
	});
});

describe('Given Go float formatting', () => {
	it.each([
		[12.3456785, 6, '12.345678'], // binary value is just below the tie
		[0.0078125, 6, '0.007812'], // exact tie: Go rounds to even, JavaScript's toFixed would give 0.007813
		[1.5, 0, '2'],
		[2.5, 0, '2'],
		[-0.25, 1, '-0.2'],
		[1e21, 2, '1000000000000000000000.00'],
	])("when %d is formatted with 'f' and %d digits, then it reads %s", (value, digits, expected) => {
		expect(formatFixed(value, digits)).toBe(expected);
	});

	it.each([
		[10, '10'], [0.1, '0.1'], [1e21, '1000000000000000000000'], [1.5e-7, '0.00000015'], [-3, '-3'],
	])("when %d is formatted with 'f' and -1, then it reads %s (never exponent form)", (value, expected) => {
		expect(formatShortest(value)).toBe(expected);
	});

	it('when k6 v0.54 (2018 datadog-go) formats a gauge, then it has 6 decimals', () => {
		expect(formatGauge('k6.', 'vus', 10, [], [], 'legacy')).toBe('k6.vus:10.000000|g');
	});
});

function collect() {
	const datagrams: Buffer[] = [];
	return {datagrams, send: (d: Buffer) => datagrams.push(d)};
}

describe('Given the datadog-go v4 client of the extension', () => {
	it('when many lines are flushed, then every datagram is at most 1432 bytes and buffer-size lines, each line ending in a newline', () => {
		const {datagrams, send} = collect();
		const client = new V4Client({namespace: 'k6.', maxMessages: 20, send});
		const tags = tagList({...requestTags, name: 'GET /a/rather/long/endpoint/name/that/makes/lines/longer'}, new Set());
		for (let i = 0; i < 500; i += 1) client.timing('http_req_duration', i * 1.25, tags);
		client.flush();
		expect(datagrams.length).toBeGreaterThan(25);
		for (const d of datagrams) {
			expect(d.length).toBeLessThanOrEqual(MAX_UDP_PAYLOAD);
			const text = d.toString();
			expect(text.endsWith('\n')).toBe(true);
			expect(text.trimEnd().split('\n').length).toBeLessThanOrEqual(20);
		}
		const lines = datagrams.flatMap(d => d.toString().trimEnd().split('\n'));
		expect(lines).toHaveLength(500);
	});

	it('when K6_STATSD_BUFFER_SIZE is 3, then no datagram holds more than 3 lines', () => {
		const {datagrams, send} = collect();
		const client = new V4Client({namespace: 'k6.', maxMessages: 3, send});
		for (let i = 0; i < 10; i += 1) client.count('http_reqs', 1, []);
		client.flush();
		expect(datagrams.map(d => d.toString().trimEnd().split('\n').length)).toEqual([3, 3, 3, 1]);
	});

	it('when different metrics are written, then lines are grouped per worker chosen by FNV-1a of the name', () => {
		const {datagrams, send} = collect();
		const client = new V4Client({namespace: 'k6.', maxMessages: 20, send});
		for (const name of ['http_reqs', 'vus', 'http_req_duration', 'vus', 'http_reqs']) client.count(name, 1, []);
		client.flush();
		for (const d of datagrams) {
			const shards = new Set(d.toString().trimEnd().split('\n').map(l => fnv1a32(l.slice(3, l.indexOf(':'))) % 32));
			expect(shards.size).toBe(1);
		}
		expect(fnv1a32('')).toBe(2166136261);
		expect(fnv1a32('a')).toBe(0xe40c292c);
	});

	it('when a single line is longer than a datagram, then it is dropped, not sent', () => {
		const {datagrams, send} = collect();
		const client = new V4Client({namespace: 'k6.', maxMessages: 20, send});
		expect(client.count('http_reqs', 1, [`name:${'x'.repeat(1500)}`])).toBe(false);
		client.flush();
		expect(datagrams).toHaveLength(0);
	});

	it('when telemetry is due, then datadog.dogstatsd.client.* counters go out without namespace, always tagged', () => {
		const {datagrams, send} = collect();
		const client = new V4Client({namespace: 'k6.', maxMessages: 20, send});
		client.count('http_reqs', 1, []);
		client.flush();
		client.writeTelemetry();
		client.flush();
		const lines = datagrams.slice(1).flatMap(d => d.toString().trimEnd().split('\n'));
		expect(lines).toContain('datadog.dogstatsd.client.metrics:1|c|#client:go,client_version:4.8.3,client_transport:udp');
		expect(lines).toContain('datadog.dogstatsd.client.packets_sent:1|c|#client:go,client_version:4.8.3,client_transport:udp');
		expect(lines).toHaveLength(12);
	});

	it('when DD_ENV and DD_SERVICE are set, then they become global tags on every line', () => {
		const globalTags = ddGlobalTags({DD_ENV: 'staging', DD_SERVICE: 'shop'});
		expect(globalTags).toEqual(['env:staging', 'service:shop']);
		expect(formatCount('k6.', 'http_reqs', 1, [], globalTags)).toBe('k6.http_reqs:1|c|#env:staging,service:shop');
	});
});

describe('Given the 2018 datadog-go client of k6 v0.54', () => {
	it('when lines reach the buffer length, then they go out joined by newlines, without a trailing one', () => {
		const {datagrams, send} = collect();
		const client = new LegacyClient({namespace: 'k6.', bufferLength: 3, send});
		for (let i = 0; i < 7; i += 1) client.gauge('vus', i, []);
		client.flush();
		expect(datagrams.map(d => d.toString())).toEqual([
			'k6.vus:0.000000|g\nk6.vus:1.000000|g\nk6.vus:2.000000|g',
			'k6.vus:3.000000|g\nk6.vus:4.000000|g\nk6.vus:5.000000|g',
			'k6.vus:6.000000|g',
		]);
	});

	it('when the buffered lines exceed 1432 bytes, then they are split into frames of at most 1432 bytes', () => {
		const {datagrams, send} = collect();
		const client = new LegacyClient({namespace: 'k6.', bufferLength: 100, send});
		for (let i = 0; i < 60; i += 1) client.timing('http_req_duration', 100 + i, ['name:GET /items', 'method:GET', 'status:200']);
		client.flush();
		expect(datagrams.length).toBeGreaterThan(1);
		for (const d of datagrams) expect(d.length).toBeLessThanOrEqual(MAX_UDP_PAYLOAD);
	});
});

describe('Given the StatsD output with a push interval', () => {
	it('when samples are added and the interval passes, then they are sent in one flush', async () => {
		const {datagrams, send} = collect();
		const output = new StatsdOutput({config: {...statsdConfigFromEnv({}), pushIntervalNs: 50e6}, client: 'v4', send, env: {}});
		await output.start();
		output.addSamples([
			{metric: 'http_reqs', type: 'counter', value: 1, tags: {}, time: 0},
			{metric: 'vus', type: 'gauge', value: 4, tags: {}, time: 0},
		]);
		expect(datagrams).toHaveLength(0);
		await new Promise(r => setTimeout(r, 120));
		const lines = datagrams.flatMap(d => d.toString().trimEnd().split('\n')).sort();
		expect(lines).toEqual(['k6.http_reqs:1|c', 'k6.vus:4|g']);
		await output.stop();
	});
});
