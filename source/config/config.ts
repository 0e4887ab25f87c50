import {readFileSync} from 'node:fs';
import {isLabelName} from '../prometheus/promql.js';
import {parseDuration} from './duration.js';
import {UsageError} from './usage-error.js';

export type Credentials =
	| {kind: 'none'}
	| {kind: 'basic'; username: string; password: string}
	| {kind: 'bearer'; token: string};

export type Config = {
	/** Prometheus base URL, credentials removed (they move to `credentials`). */
	prometheusUrl: string;
	credentials: Credentials;
	/** Extra request headers, e.g. X-Scope-OrgID for Mimir, Cortex or Thanos. */
	headers: Record<string, string>;
	intervalMs: number;
	/** Sparkline window. */
	rangeMs: number;
	/** Per-query timeout. */
	timeoutMs: number;
	/** k6 tag whose values get a row each. */
	tagKey: string;
	/** PEM text of the CA that signed Prometheus's certificate (from --ca-file). */
	caPem: string | null;
	/** The k6 script `r` runs in the monitor. */
	k6Script: string | null;
	/** Skip TLS certificate checks: only when asked for by name. */
	insecure: boolean;
	once: boolean;
	/** With --once: the past time the snapshot is of (--at), null for now. */
	at: Date | null;
	json: boolean;
	ascii: boolean;
};

/** The keys a user can set in a config file, flags or environment; all optional, all strings or lists. */
export type ConfigInput = {
	prometheus?: string;
	interval?: string;
	range?: string;
	timeout?: string;
	header?: string[];
	tagKey?: string;
	caFile?: string;
	insecure?: boolean;
	k6Script?: string;
	once?: boolean;
	/** A time, flag only: a config file that pinned one would freeze every snapshot. */
	at?: string;
	json?: boolean;
	ascii?: boolean;
};

export const defaults = {
	prometheus: 'http://localhost:9090',
	interval: '2s',
	range: '5m',
	timeout: '5s',
	tagKey: 'name',
} as const;

const minimumIntervalMs = 1000;

/** Merges sources, flags first, then environment, then file, then defaults, and validates the result. */
export function resolveConfig(sources: {flags: ConfigInput; env: NodeJS.ProcessEnv; file: ConfigInput}): Config {
	const {flags, env, file} = sources;
	const fromEnv: ConfigInput = {
		prometheus: env['KMON_PROMETHEUS_URL'],
		interval: env['KMON_INTERVAL'],
		range: env['KMON_RANGE'],
		timeout: env['KMON_TIMEOUT'],
		tagKey: env['KMON_TAG_KEY'],
	};
	const pick = <K extends keyof ConfigInput>(key: K): ConfigInput[K] => flags[key] ?? fromEnv[key] ?? file[key];

	const intervalMs = durationOption('--interval', pick('interval') ?? defaults.interval);
	if (intervalMs < minimumIntervalMs) {
		throw new UsageError(`--interval must be at least 1s (got ${pick('interval')})`);
	}

	const rangeMs = durationOption('--range', pick('range') ?? defaults.range);
	if (rangeMs < 60_000) {
		throw new UsageError(`--range must be at least 1m (got ${pick('range')})`);
	}

	const timeoutMs = durationOption('--timeout', pick('timeout') ?? defaults.timeout);
	if (timeoutMs < 100) {
		throw new UsageError(`--timeout must be at least 100ms (got ${pick('timeout')})`);
	}

	const {url, credentials: fromUrl} = parsePrometheusUrl(pick('prometheus') ?? defaults.prometheus);
	const tagKey = pick('tagKey') ?? defaults.tagKey;
	if (!isLabelName(tagKey)) {
		throw new UsageError(`--tag-key must be a Prometheus label name (got "${tagKey}")`);
	}

	return {
		prometheusUrl: url,
		credentials: credentialsFromEnv(env) ?? fromUrl,
		headers: parseHeaders([...(file.header ?? []), ...(flags.header ?? [])]),
		intervalMs,
		rangeMs,
		timeoutMs,
		tagKey,
		caPem: readCa(pick('caFile') ?? env['KMON_CA_FILE']),
		insecure: Boolean(flags.insecure ?? file.insecure),
		k6Script: pick('k6Script') ?? env['KMON_K6_SCRIPT'] ?? null,
		once: Boolean(flags.once ?? file.once),
		at: flags.at === undefined ? null : pastTime(flags.at),
		json: Boolean(flags.json ?? file.json),
		ascii: Boolean(flags.ascii ?? file.ascii),
	};
}

function durationOption(flag: string, text: string): number {
	const milliseconds = parseDuration(text);
	if (milliseconds === undefined) {
		throw new UsageError(`${flag} takes a duration such as 2s, 500ms or 5m (got "${text}")`);
	}

	return milliseconds;
}

/** --at: ISO-8601 (2026-12-04T15:00:00Z) or Unix seconds, not in the future. */
function pastTime(text: string): Date {
	const time = /^\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
	if (Number.isNaN(time.getTime()) || !/^(\d+(\.\d+)?|\d{4}-\d\d-\d\dT.+)$/.test(text)) {
		throw new UsageError(`--at takes an ISO-8601 time such as 2026-12-04T15:00:00Z, or Unix seconds (got "${text}")`);
	}

	if (time.getTime() > Date.now()) {
		throw new UsageError(`--at must not be in the future (got ${time.toISOString()})`);
	}

	return time;
}

function parsePrometheusUrl(text: string): {url: string; credentials: Credentials} {
	let parsed: URL;
	try {
		parsed = new URL(text);
	} catch {
		throw new UsageError(`--prometheus must be a URL such as http://localhost:9090 (got "${text}")`);
	}

	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
		throw new UsageError(`--prometheus must be an http:// or https:// URL (got "${parsed.protocol}")`);
	}

	// The API path is put after the base URL's path (http://host/prometheus → http://host/prometheus/api/v1/query);
	// after a query string or fragment it would end up inside them.
	if (parsed.search || parsed.hash) {
		throw new UsageError('--prometheus takes a base URL without ?query or #fragment, such as http://host:8481/select/0/prometheus');
	}

	// Credentials in the URL are taken out so they can never be printed with it.
	const credentials: Credentials = parsed.username
		? {kind: 'basic', username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password)}
		: {kind: 'none'};
	parsed.username = '';
	parsed.password = '';
	return {url: parsed.toString().replace(/\/$/, ''), credentials};
}

function credentialsFromEnv(env: NodeJS.ProcessEnv): Credentials | undefined {
	const token = env['KMON_PROMETHEUS_TOKEN'];
	if (token) {
		return {kind: 'bearer', token};
	}

	const username = env['KMON_PROMETHEUS_USER'];
	if (username) {
		return {kind: 'basic', username, password: env['KMON_PROMETHEUS_PASSWORD'] ?? ''};
	}

	return undefined;
}

function parseHeaders(lines: string[]): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const line of lines) {
		const match = /^([\w-]+):\s*(.*)$/.exec(line);
		if (!match) {
			throw new UsageError(`--header takes "Name: value" (got "${line}")`);
		}

		headers[match[1]!] = match[2]!;
	}

	return headers;
}

function readCa(file: string | undefined): string | null {
	if (!file) {
		return null;
	}

	try {
		const pem = readFileSync(file, 'utf8');
		if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
			throw new UsageError(`--ca-file ${file} holds no PEM certificate`);
		}

		return pem;
	} catch (error) {
		throw error instanceof UsageError ? error : new UsageError(`--ca-file: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
	}
}
