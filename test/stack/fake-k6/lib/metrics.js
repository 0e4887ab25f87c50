// k6's built-in metrics, their types, and the sinks k6 keeps for the end-of-test summary and the
// remote-write output (counter: sum, gauge: last/min/max, rate: non-zero share, trend: all values).

/** @typedef {'counter'|'gauge'|'rate'|'trend'} MetricType */
/** @typedef {{metric: string, type: MetricType, value: number, tags: Record<string, string>, time: number}} Sample */

/** @type {Record<string, MetricType>} */
export const BUILTIN_METRICS = Object.freeze({
	vus: 'gauge',
	vus_max: 'gauge',
	iterations: 'counter',
	iteration_duration: 'trend',
	dropped_iterations: 'counter',
	data_received: 'counter',
	data_sent: 'counter',
	checks: 'rate',
	group_duration: 'trend',
	http_reqs: 'counter',
	http_req_failed: 'rate',
	http_req_duration: 'trend',
	http_req_blocked: 'trend',
	http_req_connecting: 'trend',
	http_req_tls_handshaking: 'trend',
	http_req_sending: 'trend',
	http_req_waiting: 'trend',
	http_req_receiving: 'trend',
});

/** Trends holding milliseconds (all built-in ones); the remote-write output sends them in seconds. */
export function isTimeTrend(metric) {
	return BUILTIN_METRICS[metric] === 'trend';
}

/**
 * @param {string} metric
 * @param {number} value
 * @param {Record<string, string>} tags
 * @param {number} [time] ms since epoch
 * @returns {Sample}
 */
export function sample(metric, value, tags, time = Date.now()) {
	const type = BUILTIN_METRICS[metric];
	if (!type) throw new Error(`unknown k6 metric ${metric}`);
	return {metric, type, value, tags, time};
}

export class Sink {
	/** @param {MetricType} type */
	constructor(type) {
		this.type = type;
		this.count = 0;
		this.sum = 0;
		this.nonZero = 0;
		this.last = 0;
		this.min = Infinity;
		this.max = -Infinity;
		this.values = [];
		this.sorted = true;
	}

	add(value) {
		this.count += 1;
		this.sum += value;
		if (value !== 0) this.nonZero += 1;
		this.last = value;
		this.min = Math.min(this.min, value);
		this.max = Math.max(this.max, value);
		if (this.type === 'trend') {
			this.values.push(value);
			this.sorted = false;
		}
	}

	/** k6's TrendSink.P: linear interpolation between the closest ranks. @param {number} fraction */
	percentile(fraction) {
		if (this.values.length === 0) return 0;
		if (!this.sorted) {
			this.values.sort((a, b) => a - b);
			this.sorted = true;
		}
		if (this.values.length === 1) return this.values[0];
		const i = fraction * (this.values.length - 1);
		const low = this.values[Math.floor(i)];
		const high = this.values[Math.ceil(i)];
		return low + (high - low) * (i - Math.floor(i));
	}

	avg() {
		return this.count === 0 ? 0 : this.sum / this.count;
	}

	rate() {
		return this.count === 0 ? 0 : this.nonZero / this.count;
	}

	/** A trend statistic by k6's name: avg, min, med, max, count, sum, p(N). */
	stat(name) {
		switch (name) {
			case 'avg': return this.avg();
			case 'min': return this.count === 0 ? 0 : this.min;
			case 'max': return this.count === 0 ? 0 : this.max;
			case 'med': return this.percentile(0.5);
			case 'count': return this.count;
			case 'sum': return this.sum;
			default: {
				const match = /^p\((\d+(?:\.\d+)?)\)$/.exec(name);
				if (!match) throw new Error(`invalid trend stat ${name}`);
				return this.percentile(Number(match[1]) / 100);
			}
		}
	}
}

/** Per-metric sinks over the whole test, for the end-of-test summary. */
export class SummaryCollector {
	constructor() {
		/** @type {Map<string, Sink>} */
		this.metrics = new Map();
		/** @type {Map<string, {passes: number, fails: number}>} */
		this.checks = new Map();
		/** @type {Map<string, Sink>} sub-metric http_req_duration{expected_response:true} */
		this.expected = new Sink('trend');
	}

	/** @param {Sample[]} samples */
	addSamples(samples) {
		for (const s of samples) {
			let sink = this.metrics.get(s.metric);
			if (!sink) {
				sink = new Sink(s.type);
				this.metrics.set(s.metric, sink);
			}
			sink.add(s.value);
			if (s.metric === 'checks') {
				const c = this.checks.get(s.tags.check) ?? {passes: 0, fails: 0};
				if (s.value === 0) c.fails += 1;
				else c.passes += 1;
				this.checks.set(s.tags.check, c);
			}
			if (s.metric === 'http_req_duration' && s.tags.expected_response === 'true') this.expected.add(s.value);
		}
	}
}
