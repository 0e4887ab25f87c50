// k6's StatsD output, byte for byte.
//
// Sources read (not copied) to get the format right:
//  - github.com/LeonAdato/xk6-output-statsd (pkg/statsd/output.go, config.go): what is sent per k6
//    metric type, the K6_STATSD_* settings and their defaults. k6 v0.54's built-in output
//    (output/statsd) has the same dispatch logic.
//  - github.com/DataDog/datadog-go v4.8.3 (the extension's client): line format, `|#` tags, gauges in
//    shortest form, timers with 6 decimals, one '\n' after every line, datagrams of at most 1432 bytes
//    and K6_STATSD_BUFFER_SIZE lines, 32 buffers sharded by FNV-1a of the metric name, client telemetry
//    (datadog.dogstatsd.client.*) every 10 s, DD_ENV/DD_SERVICE/DD_VERSION/DD_ENTITY_ID as global tags.
//  - the 2018 datadog-go vendored by k6 v0.54: gauges with 6 decimals, lines joined by '\n' without a
//    trailing one, flushed every K6_STATSD_BUFFER_SIZE lines into frames of at most 1432 bytes.

import dgram from 'node:dgram';
import dns from 'node:dns/promises';
import {formatFixed, formatShortest, parseDuration} from './gofmt.js';

export const MAX_UDP_PAYLOAD = 1432;

/** Errors k6 reports when it cannot create the output (exit code 255, like any unclassified error). */
export class OutputConfigError extends Error {}

/**
 * The extension's configuration from the environment (defaults as in its config.go).
 * @param {NodeJS.ProcessEnv} env
 */
export function statsdConfigFromEnv(env = process.env) {
	const config = {
		addr: 'localhost:8125',
		bufferSize: 20,
		namespace: 'k6.',
		pushIntervalNs: 1e9,
		tagBlocklist: new Set(['vu', 'iter', 'url']),
		enableTags: false,
	};
	const wrap = (key, field, detail) => new OutputConfigError(
		`envconfig.Process: assigning ${key} to ${field}: converting '${env[key]}' to type ${detail}`,
	);
	if (env.K6_STATSD_ADDR !== undefined) config.addr = env.K6_STATSD_ADDR;
	if (env.K6_STATSD_NAMESPACE !== undefined) config.namespace = env.K6_STATSD_NAMESPACE;
	if (env.K6_STATSD_BUFFER_SIZE !== undefined) {
		if (!/^[-+]?\d+$/.test(env.K6_STATSD_BUFFER_SIZE.trim())) {
			throw wrap('K6_STATSD_BUFFER_SIZE', 'BufferSize', `null.Int. details: strconv.ParseInt: parsing "${env.K6_STATSD_BUFFER_SIZE}": invalid syntax`);
		}
		config.bufferSize = Number.parseInt(env.K6_STATSD_BUFFER_SIZE, 10);
	}
	if (env.K6_STATSD_PUSH_INTERVAL !== undefined) {
		try {
			config.pushIntervalNs = parseDuration(env.K6_STATSD_PUSH_INTERVAL);
		} catch (error) {
			throw wrap('K6_STATSD_PUSH_INTERVAL', 'PushInterval', `types.NullDuration. details: ${error.message}`);
		}
	}
	if (env.K6_STATSD_TAG_BLOCKLIST !== undefined) {
		config.tagBlocklist = new Set(env.K6_STATSD_TAG_BLOCKLIST.split(',').map((s) => s.trim()).filter(Boolean));
	}
	if (env.K6_STATSD_ENABLE_TAGS !== undefined) {
		const value = parseGoBool(env.K6_STATSD_ENABLE_TAGS);
		if (value === null) {
			throw wrap('K6_STATSD_ENABLE_TAGS', 'EnableTags', `null.Bool. details: strconv.ParseBool: parsing "${env.K6_STATSD_ENABLE_TAGS}": invalid syntax`);
		}
		config.enableTags = value;
	}
	return config;
}

/** strconv.ParseBool. @returns {boolean|null} */
export function parseGoBool(text) {
	if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
	if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
	return null;
}

/**
 * The extension's processTags: "key:value" for every tag with a non-empty value that is not blocklisted.
 * @param {Record<string, string>} tags
 * @param {Set<string>} blocklist
 */
export function tagList(tags, blocklist) {
	const out = [];
	for (const [key, value] of Object.entries(tags)) {
		if (value !== '' && !blocklist.has(key)) out.push(`${key}:${value}`);
	}
	return out;
}

function tagSuffix(globalTags, tags) {
	const all = [...globalTags, ...tags].map((t) => t.replaceAll('\n', ''));
	return all.length === 0 ? '' : `|#${all.join(',')}`;
}

/** A counter line: `k6.http_reqs:1|c`. The value is an int64 (k6 truncates toward zero). */
export function formatCount(namespace, name, value, tags = [], globalTags = []) {
	return `${namespace}${name}:${Math.trunc(value)}|c${tagSuffix(globalTags, tags)}`;
}

/** A timer line in milliseconds, always 6 decimals: `k6.http_req_duration:12.345678|ms`. */
export function formatTiming(namespace, name, ms, tags = [], globalTags = []) {
	return `${namespace}${name}:${formatFixed(ms, 6)}|ms${tagSuffix(globalTags, tags)}`;
}

/**
 * A gauge line. datadog-go v4 (the extension) writes the shortest form (`k6.vus:10|g`);
 * the 2018 client in k6 v0.54 writes 6 decimals (`k6.vus:10.000000|g`).
 * @param {'v4'|'legacy'} style
 */
export function formatGauge(namespace, name, value, tags = [], globalTags = [], style = 'v4') {
	const text = style === 'legacy' ? formatFixed(value, 6) : formatShortest(value);
	return `${namespace}${name}:${text}|g${tagSuffix(globalTags, tags)}`;
}

/**
 * What the output sends for one k6 sample (its dispatch()).
 * @param {{metric: string, type: 'counter'|'trend'|'gauge'|'rate', value: number, tags: Record<string,string>, time?: number}} sample
 * @param {{enableTags: boolean, tagBlocklist: Set<string>}} config
 * @returns {{kind: 'count'|'timing'|'gauge', name: string, value: number, tags: string[]}}
 */
export function commandForSample(sample, config) {
	const tags = config.enableTags ? tagList(sample.tags, config.tagBlocklist) : [];
	switch (sample.type) {
		case 'counter':
			return {kind: 'count', name: sample.metric, value: Math.trunc(sample.value), tags};
		case 'trend':
			return {kind: 'timing', name: sample.metric, value: sample.value, tags};
		case 'gauge':
			return {kind: 'gauge', name: sample.metric, value: sample.value, tags};
		case 'rate': {
			const check = sample.tags.check;
			if (check !== undefined) {
				return {kind: 'count', name: `check.${check}.${sample.value === 0 ? 'fail' : 'pass'}`, value: 1, tags};
			}
			return {kind: 'count', name: sample.metric, value: Math.trunc(sample.value), tags};
		}
		default:
			throw new Error(`unsupported metric type ${sample.type}`);
	}
}

/** FNV-1a over the name, as datadog-go's hashString32 (bytes in blocks of 8, then runes). */
export function fnv1a32(name) {
	const bytes = Buffer.from(name, 'utf8');
	let h = 2166136261;
	const blockEnd = Math.floor(bytes.length / 8) * 8;
	for (let i = 0; i < blockEnd; i += 1) h = Math.imul(h ^ bytes[i], 16777619) >>> 0;
	for (const char of bytes.subarray(blockEnd).toString('utf8')) {
		h = Math.imul(h ^ char.codePointAt(0), 16777619) >>> 0;
	}
	return h >>> 0;
}

/**
 * datadog-go v4.8.3's buffering: 32 workers chosen by FNV-1a of the metric name, each filling a buffer
 * of at most maxBytes and maxMessages lines (every line followed by '\n'); a full buffer is sent and a
 * new one started; a line that does not fit an empty buffer is dropped.
 */
export class V4Client {
	/**
	 * @param {{namespace: string, maxMessages: number, maxBytes?: number, globalTags?: string[],
	 *          send: (datagram: Buffer) => void}} options
	 */
	constructor({namespace, maxMessages, maxBytes = MAX_UDP_PAYLOAD, globalTags = [], send}) {
		this.namespace = namespace;
		this.maxMessages = maxMessages;
		this.maxBytes = maxBytes;
		this.globalTags = globalTags;
		this.send = send;
		this.shards = Array.from({length: 32}, () => ({text: '', bytes: 0, lines: 0}));
		this.telemetry = {metrics: 0, packetsSent: 0, bytesSent: 0};
		this.dropped = 0;
	}

	count(name, value, tags) {
		this.telemetry.metrics += 1;
		return this.#write(name, formatCount(this.namespace, name, value, tags, this.globalTags));
	}

	timing(name, ms, tags) {
		this.telemetry.metrics += 1;
		return this.#write(name, formatTiming(this.namespace, name, ms, tags, this.globalTags));
	}

	gauge(name, value, tags) {
		this.telemetry.metrics += 1;
		return this.#write(name, formatGauge(this.namespace, name, value, tags, this.globalTags, 'v4'));
	}

	/** Lines the client sends about itself every 10 s: no namespace, always tagged. */
	writeTelemetry() {
		const tags = [...this.globalTags, 'client:go', 'client_version:4.8.3', 'client_transport:udp'];
		const values = [
			['metrics', this.telemetry.metrics], ['events', 0], ['service_checks', 0], ['metric_dropped_on_receive', 0],
			['packets_sent', this.telemetry.packetsSent], ['bytes_sent', this.telemetry.bytesSent],
			['packets_dropped', 0], ['bytes_dropped', 0], ['packets_dropped_queue', 0], ['bytes_dropped_queue', 0],
			['packets_dropped_writer', 0], ['bytes_dropped_writer', 0],
		];
		this.telemetry = {metrics: 0, packetsSent: 0, bytesSent: 0};
		for (const [suffix, value] of values) {
			const name = `datadog.dogstatsd.client.${suffix}`;
			this.#write(name, formatCount('', name, value, tags));
		}
	}

	/** Sends every non-empty buffer, worker 0 first. */
	flush() {
		for (const shard of this.shards) this.#sendShard(shard);
	}

	#write(name, line) {
		const shard = this.shards[fnv1a32(name) % this.shards.length];
		if (!this.#fits(shard, line)) {
			this.#sendShard(shard);
			if (!this.#fits(shard, line)) {
				this.dropped += 1;
				return false;
			}
		}
		shard.text += `${line}\n`;
		shard.bytes += Buffer.byteLength(line) + 1;
		shard.lines += 1;
		return true;
	}

	#fits(shard, line) {
		return shard.lines < this.maxMessages && shard.bytes + Buffer.byteLength(line) + 1 <= this.maxBytes;
	}

	#sendShard(shard) {
		if (shard.lines === 0) return;
		const datagram = Buffer.from(shard.text);
		shard.text = '';
		shard.bytes = 0;
		shard.lines = 0;
		this.telemetry.packetsSent += 1;
		this.telemetry.bytesSent += datagram.length;
		this.send(datagram);
	}
}

/**
 * The 2018 datadog-go client of k6 v0.54: one list of lines; when it holds bufferLength lines (and on
 * flush) the lines are joined with '\n' into frames of at most 1432 bytes (no trailing newline).
 */
export class LegacyClient {
	/** @param {{namespace: string, bufferLength: number, send: (datagram: Buffer) => void}} options */
	constructor({namespace, bufferLength, send}) {
		this.namespace = namespace;
		this.bufferLength = bufferLength;
		this.send = send;
		this.commands = [];
	}

	count(name, value, tags) {
		return this.#append(formatCount(this.namespace, name, value, tags));
	}

	timing(name, ms, tags) {
		return this.#append(formatTiming(this.namespace, name, ms, tags));
	}

	gauge(name, value, tags) {
		return this.#append(formatGauge(this.namespace, name, value, tags, [], 'legacy'));
	}

	writeTelemetry() {}

	flush() {
		if (this.commands.length === 0) return;
		let frame = '';
		for (const command of this.commands) {
			if (frame === '') {
				frame = command;
			} else if (Buffer.byteLength(frame) + 1 + Buffer.byteLength(command) <= MAX_UDP_PAYLOAD) {
				frame += `\n${command}`;
			} else {
				this.send(Buffer.from(frame));
				frame = command;
			}
		}
		if (frame !== '') this.send(Buffer.from(frame));
		this.commands = [];
	}

	#append(line) {
		this.commands.push(line);
		if (this.commands.length === this.bufferLength) this.flush();
		return true;
	}
}

const DD_ENV_TAGS = [
	['DD_ENTITY_ID', 'dd.internal.entity_id'], ['DD_ENV', 'env'], ['DD_SERVICE', 'service'], ['DD_VERSION', 'version'],
];

/** Global tags datadog-go v4 adds from DD_* variables (sent even when k6 sends no tags). */
export function ddGlobalTags(env = process.env) {
	return DD_ENV_TAGS.filter(([key]) => env[key]).map(([key, tag]) => `${tag}:${env[key]}`);
}

/** Splits "host:port" (or "[v6]:port") like net.SplitHostPort. */
export function splitHostPort(addr) {
	const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(addr);
	if (!match) throw new OutputConfigError(`address ${addr}: missing port in address`);
	const port = Number(match[3]);
	if (port > 65535) throw new OutputConfigError(`dial udp: address ${addr}: invalid port`);
	return {host: match[1] ?? match[2], port};
}

/**
 * The StatsD output: buffers k6 samples and, every push interval, dispatches them to the client and
 * flushes it. Telemetry (v4 client only) goes out every 10 s, as datadog-go does.
 */
export class StatsdOutput {
	/**
	 * @param {{config: ReturnType<typeof statsdConfigFromEnv>, client: 'v4'|'legacy', env?: NodeJS.ProcessEnv,
	 *          send?: (datagram: Buffer) => void, telemetryIntervalMs?: number}} options
	 */
	constructor({config, client, env = process.env, send, telemetryIntervalMs = 10_000}) {
		this.config = config;
		this.clientKind = client;
		this.env = env;
		this.customSend = send;
		this.telemetryIntervalMs = telemetryIntervalMs;
		this.buffer = [];
		this.timers = [];
	}

	description() {
		return `statsd (${this.config.addr})`;
	}

	async start() {
		if (this.config.addr === '') throw new OutputConfigError('connection string is invalid. Received: ""');
		let send = this.customSend;
		if (!send) {
			const {host, port} = splitHostPort(this.config.addr);
			// Go resolves "localhost" to 127.0.0.1 first; Node may prefer ::1. Prefer IPv4 like Go.
			const addresses = await dns.lookup(host || '127.0.0.1', {all: true});
			const target = addresses.find((a) => a.family === 4) ?? addresses[0];
			this.socket = dgram.createSocket(target.family === 6 ? 'udp6' : 'udp4');
			this.socket.on('error', () => {});
			this.pending = new Set();
			send = (datagram) => {
				const sent = new Promise((resolve) => {
					this.socket.send(datagram, port, target.address, () => resolve(undefined));
				});
				this.pending.add(sent);
				sent.then(() => this.pending.delete(sent));
			};
		}
		this.client = this.clientKind === 'legacy'
			? new LegacyClient({namespace: this.config.namespace, bufferLength: this.config.bufferSize, send})
			: new V4Client({
				namespace: this.config.namespace, maxMessages: this.config.bufferSize, globalTags: ddGlobalTags(this.env), send,
			});
		const push = setInterval(() => this.flush(), Math.max(1, this.config.pushIntervalNs / 1e6));
		this.timers.push(push);
		if (this.clientKind === 'v4') {
			this.timers.push(setInterval(() => {
				this.client.writeTelemetry();
				this.client.flush();
			}, this.telemetryIntervalMs));
		}
		for (const timer of this.timers) timer.unref();
	}

	/** @param {import('./metrics.js').Sample[]} samples */
	addSamples(samples) {
		this.buffer.push(...samples);
	}

	flush() {
		const samples = this.buffer;
		this.buffer = [];
		for (const sample of samples) {
			const command = commandForSample(sample, this.config);
			this.client[command.kind](command.name, command.value, command.tags);
		}
		if (samples.length > 0) this.client.flush();
	}

	async stop() {
		for (const timer of this.timers) clearInterval(timer);
		this.flush();
		this.client.flush();
		if (this.socket) {
			await Promise.all([...this.pending]);
			this.socket.close();
		}
	}
}
