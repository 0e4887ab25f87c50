// The remote-write output's encoding and naming (Prometheus itself accepts it: test/e2e/fake-k6.test.ts).
import {describe, expect, it} from 'vitest';
import {encodeWriteRequest, RemoteWriteOutput, remoteWriteConfigFromEnv, snappyEncode, STALE_NAN, statSuffix} from '../../stack/fake-k6/lib/remote-write.js';

/** A snappy block decoder for literal elements (all fake-k6 writes). */
function snappyDecode(body: Buffer): Buffer {
	let pos = 0;
	let length = 0;
	for (let shift = 0; ; shift += 7) {
		const byte = body[pos++]!;
		length += (byte & 0x7f) * 2 ** shift;
		if (byte < 0x80) break;
	}
	const parts: Buffer[] = [];
	while (pos < body.length) {
		const tag = body[pos++]!;
		if ((tag & 3) !== 0) throw new Error('not a literal');
		let n = tag >> 2;
		if (n === 60) n = body[pos++]!;
		else if (n === 61) {
			n = body.readUInt16LE(pos);
			pos += 2;
		} else if (n > 61) throw new Error('unexpected literal length form');
		parts.push(body.subarray(pos, pos + n + 1));
		pos += n + 1;
	}
	const out = Buffer.concat(parts);
	if (out.length !== length) throw new Error(`length ${out.length} != preamble ${length}`);
	return out;
}

describe('Given bytes to compress, when fake-k6 snappy-encodes them with literals only', () => {
	it.each([1, 60, 61, 256, 257, 65_536, 65_537, 200_000])('then %d bytes decode back unchanged', size => {
		const data = Buffer.from(Array.from({length: size}, (_, i) => (i * 31) % 251));
		expect(snappyDecode(snappyEncode(data)).equals(data)).toBe(true);
	});
});

describe('Given a time series, when it is encoded as a WriteRequest', () => {
	it('then labels and the sample follow the protobuf layout (timeseries=1, labels=1, samples=2)', () => {
		const bytes = encodeWriteRequest([{labels: [['__name__', 'k6_vus'], ['testid', 'a']], value: 2, timestampMs: 1000}]);
		const hex = bytes.toString('hex');
		// field 1 (length-delimited) holding a label: name "__name__", value "k6_vus"
		expect(hex).toContain(Buffer.from('\x0a\x08__name__\x12\x06k6_vus', 'latin1').toString('hex'));
		// the sample: double 2.0 little-endian, then timestamp varint 1000 (0xe8 0x07)
		expect(hex).toContain('090000000000000040' + '10e807');
		expect(bytes[0]).toBe(0x0a);
	});

	it('then the stale marker is Prometheus’ special NaN', () => {
		const b = Buffer.alloc(8);
		b.writeDoubleLE(STALE_NAN);
		expect(b.toString('hex')).toBe('020000000000f07f');
	});
});

describe('Given K6_PROMETHEUS_RW_TREND_STATS', () => {
	it.each([
		['p(99)', 'p99'], ['p(95)', 'p95'], ['p(99.9)', 'p999'], ['p(0.5)', 'p05'], ['avg', 'avg'], ['med', 'med'],
	])('when the stat is %s, then the series suffix is _%s', (stat, suffix) => {
		expect(statSuffix(stat)).toBe(suffix);
	});

	it('when nothing is set, then the defaults are k6’s', () => {
		expect(remoteWriteConfigFromEnv({})).toEqual({url: 'http://localhost:9090/api/v1/write', pushIntervalNs: 5e9, trendStats: ['p(99)'], staleMarkers: false});
	});

	it('when a stat is unknown, then creating the output fails', () => {
		expect(() => remoteWriteConfigFromEnv({K6_PROMETHEUS_RW_TREND_STATS: 'p(99),mode'})).toThrow(/mode/);
	});

	it('when a trend in ms is mapped, then its stats are in seconds and named per stat; counters get _total, rates _rate', () => {
		const output = new RemoteWriteOutput({config: remoteWriteConfigFromEnv({K6_PROMETHEUS_RW_TREND_STATS: 'p(90),count'})});
		output.addSamples([
			{metric: 'http_req_duration', type: 'trend', value: 100, tags: {name: 'a', group: ''}, time: 5},
			{metric: 'http_req_duration', type: 'trend', value: 300, tags: {name: 'a', group: ''}, time: 6},
			{metric: 'http_reqs', type: 'counter', value: 1, tags: {name: 'a'}, time: 6},
			{metric: 'http_reqs', type: 'counter', value: 1, tags: {name: 'a'}, time: 7},
			{metric: 'http_req_failed', type: 'rate', value: 1, tags: {name: 'a'}, time: 7},
			{metric: 'http_req_failed', type: 'rate', value: 0, tags: {name: 'a'}, time: 7},
		]);
		const series = [...output.series.values()].flatMap(entry => output.toSeries(entry));
		const byName = Object.fromEntries(series.map(s => [s.labels.find(([k]) => k === '__name__')?.[1], s]));
		expect(byName.k6_http_req_duration_p90.value).toBeCloseTo(0.28, 10);
		expect(byName.k6_http_req_duration_count.value).toBe(2);
		expect(byName.k6_http_req_duration_p90.labels).toEqual([['__name__', 'k6_http_req_duration_p90'], ['name', 'a']]);
		expect(byName.k6_http_req_duration_p90.timestampMs).toBe(6);
		expect(byName.k6_http_reqs_total.value).toBe(2);
		expect(byName.k6_http_req_failed_rate.value).toBe(0.5);
	});
});
