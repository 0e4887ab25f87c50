import {AsyncLocalStorage} from 'node:async_hooks';
import http from 'node:http';
import https from 'node:https';
import {PrometheusDriver, ResponseType} from 'prometheus-query';
import pLimit from 'p-limit';
import type {Credentials} from '../config/config.js';
import type {History, QueryError, Target, Window} from '../snapshot/types.js';
import {classifyError, maxBodyMiB, queryError, type Unreadable} from './errors.js';
import {AnswerCache} from './answer-cache.js';
import {type Answer, QueryBatcher} from './query-batch.js';
import {ServerClock} from './server-clock.js';
import {alignToWindow} from './window.js';

/** Longer than any poll interval people use, shorter than Prometheus's idle timeout (its 5-min read timeout). */
const idleSocketMs = 60_000;

/** A whole wave of a poll's instant queries (34 on the Overview) in one request. */
const defaultBatchSize = 64;

export type Labels = Record<string, string>;
export type Sample = {labels: Labels; value: number};
export type RangeSeries = {labels: Labels; history: History};
export type Result<T> = {ok: true; value: T} | {ok: false; error: QueryError};

export type ClientOptions = {
	url: string;
	credentials: Credentials;
	headers: Record<string, string>;
	timeoutMs: number;
	/** PEM text of extra CAs to trust, and whether to skip certificate checks (--insecure). */
	tls?: {ca?: string; insecure?: boolean};
	/** Queries in flight at once. */
	concurrency?: number;
	/** Queries sent together in one request at most (see query-batch.ts); 1 sends each alone. */
	batchSize?: number;
};

/** What a poll cost; reset by the caller between polls. */
export type Traffic = {queries: number; bytes: number};

/**
 * The `warnings` of the responses a query call received. Thanos, Mimir and VictoriaMetrics answer with part of
 * the data and say so there (a store down: a partial response); prometheus-query drops them, so the client's
 * response parser, which runs inside the call, keeps them here.
 */
const responseWarnings = new AsyncLocalStorage<string[]>();

/** Distinct warnings kept between two takeWarnings calls; a backend in trouble repeats the same few. */
const maxWarnings = 20;

/**
 * The one place kmon talks to Prometheus. It wraps prometheus-query and irons out its quirks: errors become
 * typed values, "+Inf"/"-Inf" survive parsing, response bodies are size-limited, instant queries always carry
 * an explicit evaluation time, and at most `concurrency` queries run at once.
 */
export class PrometheusClient {
	readonly url: string;
	readonly traffic: Traffic = {queries: 0, bytes: 0};
	/** Prometheus's clock, from the Date headers of its answers: polls are asked on its time (server-clock.ts). */
	readonly clock = new ServerClock();
	private readonly driver: PrometheusDriver;
	private readonly limit: ReturnType<typeof pLimit>;
	private readonly aborter = new AbortController();
	private readonly timeoutMs: number;
	private readonly agents: {http: http.Agent; https: https.Agent};
	/**
	 * Range results of a window. The window end is aligned to the step, so until it moves every poll asks for
	 * exactly the same points: they are answered from here (most polls, at a 5-s or longer step). Failures are
	 * not kept: the next poll asks again.
	 */
	private readonly rangeCache = new AnswerCache<Result<RangeSeries[]>>();
	/**
	 * Label names of the series seen since a start time, by that start. Polls within one sparkline step share the
	 * window start, and a label name that appears meanwhile (a new k6 tag) shows at the next step (20 s at 16
	 * cells over 5 minutes) instead of costing a request every poll.
	 */
	private readonly labelNamesCache = new AnswerCache<Result<string[]>>();
	private versionCache: {value: Result<string>; until: number} | undefined;
	private readonly warnings = new Set<string>();
	private readonly instantBatcher: QueryBatcher<Sample, Date>;
	private readonly rangeBatcher: QueryBatcher<RangeSeries, Window>;

	constructor(options: ClientOptions) {
		this.url = options.url;
		this.timeoutMs = options.timeoutMs;
		this.limit = pLimit(options.concurrency ?? 4);
		const headers = {
			...options.headers,
			...authorizationHeader(options.credentials),
			// On loopback, decompressing costs more CPU than the bytes it saves (measured in bench/scale.ts).
			...(isLoopback(options.url) ? {'Accept-Encoding': 'identity'} : {}),
		};
		// Node's global agent closes an idle socket after 5 s, just before the next poll at the default interval
		// would reuse it, so every poll paid for a new connection (seen as TIME-WAIT sockets piling up in `ss`).
		const keepAlive = {keepAlive: true, timeout: idleSocketMs, maxSockets: options.concurrency ?? 4};
		this.agents = {
			http: new http.Agent(keepAlive),
			https: new https.Agent({...keepAlive, ca: options.tls?.ca, rejectUnauthorized: !options.tls?.insecure}),
		};
		const batchSize = options.batchSize ?? defaultBatchSize;
		this.instantBatcher = new QueryBatcher(async (query, time) => this.fetchInstant(query, time), time => String(time.getTime()), batchSize);
		this.rangeBatcher = new QueryBatcher(async (query, window) => this.fetchRange(query, window), windowKeyOf, batchSize);
		this.driver = new PrometheusDriver({
			endpoint: options.url,
			baseURL: '/api/v1/',
			// A batch of queries can outgrow the URL length proxies accept; a form body has no such limit.
			preferPost: true,
			timeout: options.timeoutMs,
			headers,
			requestInterceptor: {
				onFulfilled: config => {
					const sentAt = Date.now();
					config.signal = this.aborter.signal;
					config.httpAgent = this.agents.http;
					config.httpsAgent = this.agents.https;

					// Redirects are reported, not followed: a Prometheus API path that redirects is a login proxy or a
					// wrong base path, and credentials never travel to another host. It also spares follow-redirects'
					// wrapper around every request (~15 % of a poll's CPU, measured with a script polling the bench's
					// small system).
					config.maxRedirects = 0;
					config.maxContentLength = maxBodyMiB * 1024 * 1024;
					config.responseType = 'text';
					config.transformResponse = [(body: unknown, headers: Record<string, string> | undefined, status?: number) => {
						this.clock.observe(headers?.['date'], sentAt, Date.now());
						return this.parseBody(body, status);
					}];
					return config;
				},
			},
		});
	}

	/**
	 * Prometheus's time now. Before its first answer the offset is unknown, so one request that kmon makes anyway
	 * (the version, kept for a minute) goes first: the first poll, and --once, are asked on its time too.
	 */
	async serverNow(local = Date.now): Promise<Date> {
		if (this.clock.offsetMs === null) {
			await this.version();
		}

		return this.clock.now(local());
	}

	/** Cancels every query in flight and closes idle connections; the client is unusable afterwards. */
	close(): void {
		this.aborter.abort();
		this.agents.http.destroy();
		this.agents.https.destroy();
	}

	async instant(query: string, time: Date): Promise<Result<Sample[]>> {
		const result = await this.instantBatcher.ask(query, time);
		return result.ok ? {ok: true, value: result.value.series} : result;
	}

	private async fetchInstant(query: string, time: Date): Promise<Result<Answer<Sample>>> {
		return this.run(async () => {
			const result = await this.driver.instantQuery(query, time);
			if (result.resultType === ResponseType.SCALAR) {
				const [, value] = result.result as unknown as [number, string];
				return {series: [{labels: {}, value: Number.parseFloat(value)}], scalar: true};
			}

			expectResultType(result.resultType, 'vector', query);
			const series = (result.result as Array<{metric: DriverMetric; value: {value: number}}>)
				.map(item => ({labels: labelsOf(item.metric), value: item.value.value}));
			return {series, scalar: false};
		});
	}

	async range(query: string, window: Window): Promise<Result<RangeSeries[]>> {
		const key = windowKeyOf(window);
		const cached = this.rangeCache.get(key, query);
		if (cached) {
			return cached;
		}

		const answer = await this.rangeBatcher.ask(query, window);
		const result: Result<RangeSeries[]> = answer.ok ? {ok: true, value: answer.value.series} : answer;
		if (result.ok) {
			this.rangeCache.set(key, query, result);
		}

		return result;
	}

	/** Range queries answer a matrix even for a scalar expression, so `scalar` is never known to be true here. */
	private async fetchRange(query: string, window: Window): Promise<Result<Answer<RangeSeries>>> {
		return this.run(async () => {
			const result = await this.driver.rangeQuery(query, new Date(window.start), new Date(window.end), window.stepSeconds);
			expectResultType(result.resultType, 'matrix', query);
			const series = (result.result as Array<{metric: DriverMetric | null; values: Array<{time: Date; value: number}>}>)
				.map(item => ({
					labels: labelsOf(item.metric),
					history: alignToWindow(window, item.values.map(point => [point.time.getTime() / 1000, point.value])),
				}));
			return {series, scalar: false};
		});
	}

	async labelNames(match: string, start: Date, end: Date): Promise<Result<string[]>> {
		const key = start.toISOString();
		const cached = this.labelNamesCache.get(key, match);
		if (cached) {
			return cached;
		}

		const result = await this.run(async () => this.driver.labelNames(match, start, end));
		if (result.ok) {
			this.labelNamesCache.set(key, match, result);
		}

		return result;
	}

	async targets(): Promise<Result<Target[]>> {
		return this.run(async () => {
			const {activeTargets} = await this.driver.targets() as {activeTargets: Array<{labels: Labels; health: string; lastError: string; lastScrape: Date}>};
			return activeTargets.map(target => ({
				job: target.labels['job'] ?? '',
				instance: target.labels['instance'] ?? '',
				health: target.health === 'up' || target.health === 'down' ? target.health : 'unknown',
				lastError: target.lastError || null,
				lastScrape: validTime(target.lastScrape),
			}));
		});
	}

	/** Prometheus's version; asked again at most once a minute (it changes only with an upgrade). */
	async version(): Promise<Result<string>> {
		if (this.versionCache && this.versionCache.until > Date.now()) {
			return this.versionCache.value;
		}

		const value = await this.run(async () => {
			const info = await this.driver.statusBuildinfo() as {version?: string};
			return String(info.version ?? 'unknown');
		});
		this.versionCache = value.ok ? {value, until: Date.now() + 60_000} : undefined;
		return value;
	}

	/**
	 * Warnings the backend sent with its answers since the last call (see responseWarnings), each once. Partial
	 * answers still count as answers: the caller reports these beside the figures (diagnose.ts).
	 */
	takeWarnings(): string[] {
		const taken = [...this.warnings];
		this.warnings.clear();
		return taken;
	}

	private async run<T>(call: () => Promise<T>): Promise<Result<T>> {
		return this.limit(async () => {
			this.traffic.queries++;
			const warnings: string[] = [];
			try {
				const value = await responseWarnings.run(warnings, call);
				return {ok: true as const, value};
			} catch (thrown) {
				const error = (thrown as {kmonResultType?: QueryError}).kmonResultType
					?? classifyError(thrown, this.url, this.timeoutMs);
				return {ok: false as const, error};
			} finally {
				for (const warning of warnings) {
					if (this.warnings.size < maxWarnings) {
						this.warnings.add(warning);
					}
				}
			}
		});
	}

	private parseBody(body: unknown, status = 200): unknown {
		if (typeof body !== 'string') {
			return body;
		}

		this.traffic.bytes += Buffer.byteLength(body);
		try {
			// Prometheus sends infinities as "+Inf"/"-Inf", which parseFloat (used by prometheus-query) turns into
			// NaN. Sample values sit at index 1 of [time, "value"] pairs; label names can never be "1". A reviver
			// makes parsing ~6 times slower, so it runs only on bodies that contain an infinity at all.
			const parsed = (body.includes('Inf"') ? JSON.parse(body, keepInfinities) : JSON.parse(body)) as {warnings?: unknown};
			if (Array.isArray(parsed?.warnings)) {
				responseWarnings.getStore()?.push(...parsed.warnings.map(String).filter(warning => !isQueryInfo(warning)));
			}

			return parsed;
		} catch {
			if (status >= 300) {
				// A proxy's or server's own error or redirect page: keep its text as the error so the HTTP status is reported.
				return {status: 'error', error: body.replaceAll(/<[^>]*>/g, ' ').trim() || `HTTP ${status}`};
			}

			const start = body.trimStart().slice(0, 1);
			const reason = start === '<' ? 'an HTML page instead of JSON' : (start === '{' || start === '[' ? 'truncated or invalid JSON' : 'not JSON');
			return {kmonUnreadable: reason} satisfies Unreadable;
		}
	}
}

/**
 * Thanos passes the engine's notes on the query itself among the warnings ("PromQL info: metric might not be a
 * counter, …" for rate() of a StatsD counter without _total); Prometheus 3 sends them apart, as `infos`. They
 * say nothing about the data, and kmon wrote the query: not worth a diagnostic.
 */
function isQueryInfo(warning: string): boolean {
	return warning.startsWith('PromQL info:');
}

function keepInfinities(key: string, value: unknown): unknown {
	return key === '1' && (value === '+Inf' || value === '-Inf') ? (value === '+Inf' ? 'Infinity' : '-Infinity') : value;
}

function windowKeyOf(window: Window): string {
	return `${window.start}/${window.end}/${window.stepSeconds}`;
}

function isLoopback(url: string): boolean {
	const host = new URL(url).hostname;
	return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

type DriverMetric = {name?: string; labels?: Labels};

/** prometheus-query moves `__name__` out of the labels; kmon keeps it (family detection groups by it). */
function labelsOf(metric: DriverMetric | null): Labels {
	const labels = {...metric?.labels};
	if (metric?.name) {
		labels['__name__'] = metric.name;
	}

	return labels;
}

function authorizationHeader(credentials: Credentials): Record<string, string> {
	switch (credentials.kind) {
		case 'basic': {
			return {Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`};
		}

		case 'bearer': {
			return {Authorization: `Bearer ${credentials.token}`};
		}

		case 'none': {
			return {};
		}
	}
}

function expectResultType(actual: string, expected: string, query: string): void {
	if (actual !== expected) {
		const error = queryError('malformed', `expected a ${expected} from Prometheus but got "${actual}" for ${query.slice(0, 80)}`);
		// eslint-disable-next-line @typescript-eslint/only-throw-error -- carries a result through the driver's catch; issue 20 replaces it
		throw {kmonResultType: error};
	}
}

function validTime(value: unknown): string | null {
	const time = value instanceof Date ? value : new Date(String(value));
	// Prometheus reports never-scraped targets with the zero time (year 1).
	return Number.isNaN(time.getTime()) || time.getUTCFullYear() < 2000 ? null : time.toISOString();
}
