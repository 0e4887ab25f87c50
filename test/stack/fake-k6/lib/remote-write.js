// k6's `-o experimental-prometheus-rw` output (internal/output/prometheusrw in k6 v1.x, read not
// copied): every push interval the series that got samples are sent, cumulative, as a Prometheus
// remote-write 1.0 request (protobuf WriteRequest, snappy block compression):
//   counters  k6_<name>_total            gauges  k6_<name>
//   rates     k6_<name>_rate (0..1)      trends  k6_<name>_<stat> per K6_PROMETHEUS_RW_TREND_STATS
//                                                 (default p(99); "p(99.9)" -> _p999), time in seconds
// Labels: every non-empty tag of the sample. No dependency: the protobuf writer and a literal-only
// snappy encoder (valid snappy, just not smaller) are below.

import {parseDuration} from './gofmt.js';
import {Sink, isTimeTrend} from './metrics.js';
import {parseGoBool} from './statsd.js';

export class RemoteWriteConfigError extends Error {}

/** @param {NodeJS.ProcessEnv} env */
export function remoteWriteConfigFromEnv(env = process.env) {
	const config = {
		url: env.K6_PROMETHEUS_RW_SERVER_URL || 'http://localhost:9090/api/v1/write',
		pushIntervalNs: 5e9,
		trendStats: ['p(99)'],
		staleMarkers: false,
	};
	if (env.K6_PROMETHEUS_RW_PUSH_INTERVAL) config.pushIntervalNs = parseDuration(env.K6_PROMETHEUS_RW_PUSH_INTERVAL);
	if (env.K6_PROMETHEUS_RW_TREND_STATS) {
		config.trendStats = env.K6_PROMETHEUS_RW_TREND_STATS.split(',').map((s) => s.trim()).filter(Boolean);
		for (const stat of config.trendStats) {
			if (!/^(avg|min|med|max|count|sum|p\(\d+(\.\d+)?\))$/.test(stat)) {
				throw new RemoteWriteConfigError(`failed to parse the stat '${stat}': invalid trend stat`);
			}
		}
	}
	if (env.K6_PROMETHEUS_RW_STALE_MARKERS) config.staleMarkers = parseGoBool(env.K6_PROMETHEUS_RW_STALE_MARKERS) === true;
	return config;
}

/** "p(99)" -> "p99", "p(99.9)" -> "p999", "avg" -> "avg". */
export function statSuffix(stat) {
	return stat.startsWith('p(') ? `p${stat.slice(2, -1).replaceAll('.', '')}` : stat;
}

// --- protobuf -----------------------------------------------------------------------------------

function varint(value) {
	const bytes = [];
	let v = BigInt.asUintN(64, BigInt(value));
	while (v >= 0x80n) {
		bytes.push(Number((v & 0x7fn) | 0x80n));
		v >>= 7n;
	}
	bytes.push(Number(v));
	return Buffer.from(bytes);
}

function lengthDelimited(field, payload) {
	return Buffer.concat([varint((field << 3) | 2), varint(payload.length), payload]);
}

function encodeLabel(name, value) {
	return Buffer.concat([lengthDelimited(1, Buffer.from(name)), lengthDelimited(2, Buffer.from(value))]);
}

function encodeSample(value, timestampMs) {
	const double = Buffer.alloc(8);
	double.writeDoubleLE(value);
	return Buffer.concat([varint((1 << 3) | 1), double, varint((2 << 3) | 0), varint(timestampMs)]);
}

/**
 * prometheus.WriteRequest with timeseries (field 1) of labels (1) and samples (2).
 * @param {Array<{labels: Array<[string, string]>, value: number, timestampMs: number}>} series
 */
export function encodeWriteRequest(series) {
	return Buffer.concat(series.map((s) => lengthDelimited(1, Buffer.concat([
		...s.labels.map(([name, value]) => lengthDelimited(1, encodeLabel(name, value))),
		lengthDelimited(2, encodeSample(s.value, s.timestampMs)),
	]))));
}

/** Snappy block format using literals only: decoders accept it; it is just not compressed. */
export function snappyEncode(data) {
	const chunks = [varint(data.length)];
	for (let offset = 0; offset < data.length; offset += 65_536) {
		const literal = data.subarray(offset, Math.min(offset + 65_536, data.length));
		const n = literal.length - 1;
		if (n < 60) chunks.push(Buffer.from([n << 2]));
		else if (n < 0x100) chunks.push(Buffer.from([60 << 2, n]));
		else chunks.push(Buffer.from([61 << 2, n & 0xff, n >> 8]));
		chunks.push(literal);
	}
	return Buffer.concat(chunks);
}

/** The bit pattern Prometheus uses to mark a series stale. */
export const STALE_NAN = Buffer.from([0x02, 0, 0, 0, 0, 0, 0xf0, 0x7f]).readDoubleLE(0);

function seriesKey(metric, tags) {
	return `${metric}\u0000${Object.entries(tags).filter(([, v]) => v !== '').sort().map(([k, v]) => `${k}=${v}`).join('\u0000')}`;
}

export class RemoteWriteOutput {
	/**
	 * @param {{config: ReturnType<typeof remoteWriteConfigFromEnv>, post?: (url: string, body: Buffer, headers: Record<string,string>) => Promise<void>,
	 *          logger?: {error(msg: string, fields?: object): void}}} options
	 */
	constructor({config, post, logger}) {
		this.config = config;
		this.post = post ?? defaultPost;
		this.logger = logger;
		/** @type {Map<string, {metric: string, type: string, tags: Record<string,string>, sink: Sink, lastTime: number}>} */
		this.series = new Map();
		this.dirty = new Set();
		this.inflight = Promise.resolve();
	}

	description() {
		return `Prometheus remote write (${this.config.url})`;
	}

	async start() {
		this.timer = setInterval(() => {
			this.inflight = this.inflight.then(() => this.flush());
		}, Math.max(1, this.config.pushIntervalNs / 1e6));
		this.timer.unref();
	}

	/** @param {import('./metrics.js').Sample[]} samples */
	addSamples(samples) {
		for (const s of samples) {
			const key = seriesKey(s.metric, s.tags);
			let entry = this.series.get(key);
			if (!entry) {
				entry = {metric: s.metric, type: s.type, tags: s.tags, sink: new Sink(s.type), lastTime: s.time};
				this.series.set(key, entry);
			}
			entry.sink.add(s.value);
			entry.lastTime = Math.max(entry.lastTime, s.time);
			this.dirty.add(key);
		}
	}

	/** The remote-write series for one k6 series. */
	toSeries(entry, stale = false) {
		const labels = Object.entries(entry.tags).filter(([, v]) => v !== '');
		const at = (name, value) => ({
			labels: [...labels, ['__name__', name]].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
			value: stale ? STALE_NAN : value,
			timestampMs: stale ? Date.now() + 1 : entry.lastTime,
		});
		const base = `k6_${entry.metric}`;
		switch (entry.type) {
			case 'counter': return [at(`${base}_total`, entry.sink.sum)];
			case 'gauge': return [at(base, entry.sink.last)];
			case 'rate': return [at(`${base}_rate`, entry.sink.rate())];
			case 'trend': {
				const factor = isTimeTrend(entry.metric) ? 1 / 1000 : 1;
				return this.config.trendStats.map((stat) => {
					const value = entry.sink.stat(stat);
					return at(`${base}_${statSuffix(stat)}`, stat === 'count' ? value : value * factor);
				});
			}
			default: return [];
		}
	}

	async flush() {
		if (this.dirty.size === 0) return;
		const keys = [...this.dirty];
		this.dirty.clear();
		const series = keys.flatMap((key) => this.toSeries(this.series.get(key)));
		await this.#send(series);
	}

	async #send(series) {
		const body = snappyEncode(encodeWriteRequest(series));
		try {
			await this.post(this.config.url, body, {
				'User-Agent': 'k6-prometheus-rw-output',
				'Content-Encoding': 'snappy',
				'Content-Type': 'application/x-protobuf',
				'X-Prometheus-Remote-Write-Version': '0.1.0',
			});
		} catch (error) {
			this.logger?.error('Failed to send the time series data to the endpoint', {
				error: error instanceof Error ? error.message : String(error), output: 'Prometheus remote write',
			});
		}
	}

	async stop() {
		clearInterval(this.timer);
		await this.inflight;
		await this.flush();
		if (this.config.staleMarkers) {
			await this.#send([...this.series.values()].flatMap((entry) => this.toSeries(entry, true)));
		}
	}
}

async function defaultPost(url, body, headers) {
	const response = await fetch(url, {method: 'POST', body, headers});
	if (!response.ok) {
		const text = await response.text();
		throw new Error(`got status code: ${response.status} instead expected a 2xx successful status code: ${text.trim()}`);
	}
}
