// The load generator: N virtual users looping over the target's endpoints with real HTTP requests,
// emitting k6's built-in metric samples with k6's tags:
//   per request   http_reqs, http_req_duration, _blocked, _connecting, _tls_handshaking, _sending,
//                 _waiting, _receiving, http_req_failed   tags: name, url (= name when name is set),
//                 method, status, proto, scenario, group, expected_response, error_code (status >= 400)
//   per check     checks (rate)                           tags: check, scenario, group
//   per group     group_duration                          tags: group ("::checkout"), scenario
//   per iteration data_sent, data_received, and for completed iterations iteration_duration, iterations
//                                                         tags: scenario, group ("" = root)
//   every second  vus, vus_max                            tags: run tags only
// Run tags (--tag k=v) are on every sample. Interrupted requests emit nothing, as in k6.

import http from 'node:http';
import {ENDPOINTS} from './target.js';
import {sample} from './metrics.js';

const hr = () => process.hrtime.bigint();
const ms = (from, to) => Number(to - from) / 1e6;

/**
 * @typedef {import('./progress.js').Executor} Executor
 * @typedef {import('./metrics.js').Sample} Sample
 */

export class Run {
	/**
	 * @param {{executor: Executor, targetUrl: string, runTags?: Record<string,string>, scenario?: string,
	 *          emit: (samples: Sample[]) => void, sleepMs?: number, endpoints?: readonly import('./target.js').Endpoint[]}} options
	 */
	constructor({executor, targetUrl, runTags = {}, scenario = 'default', emit, sleepMs = 100, endpoints = ENDPOINTS}) {
		this.executor = executor;
		this.targetUrl = targetUrl;
		this.runTags = runTags;
		this.scenario = scenario;
		this.emit = emit;
		this.sleepMs = sleepMs;
		this.endpoints = endpoints;
		this.abort = new AbortController();
		this.state = 'running'; // running | stopping | done | interrupted
		this.activeVUs = 0;
		this.complete = 0;
		this.interrupted = 0;
		this.claimed = 0;
		this.iterations = 0;
		this.requests = 0;
		this.startedAt = 0n;
	}

	get elapsedNs() {
		return this.startedAt === 0n ? 0 : Number(hr() - this.startedAt);
	}

	get maxVUs() {
		return this.executor.vus;
	}

	/** Runs the test to its end (or to stop()). */
	async run() {
		this.startedAt = hr();
		this.#emitVUs();
		this.vuTimer = setInterval(() => this.#emitVUs(), 1000);
		const regularNs = this.executor.type === 'constant-vus' ? this.executor.durationNs : this.executor.maxDurationNs;
		this.regularTimer = setTimeout(() => {
			if (this.state === 'running') this.state = 'stopping';
		}, regularNs / 1e6);
		// Iterations still running after the graceful stop are interrupted.
		this.hardTimer = setTimeout(() => this.abort.abort(), (regularNs + this.executor.gracefulStopNs) / 1e6);
		const vus = Array.from({length: this.executor.vus}, (_, i) => this.#vu(i + 1));
		await Promise.all(vus);
		clearInterval(this.vuTimer);
		clearTimeout(this.regularTimer);
		clearTimeout(this.hardTimer);
		this.#emitVUs();
		if (this.state !== 'interrupted') this.state = 'done';
	}

	/** Graceful stop (first SIGINT): in-flight iterations are interrupted, no new ones start. */
	stop() {
		if (this.state === 'done') return;
		this.state = 'interrupted';
		this.abort.abort();
	}

	#emitVUs() {
		this.emit([
			sample('vus', this.activeVUs, {...this.runTags}),
			sample('vus_max', this.executor.vus, {...this.runTags}),
		]);
	}

	#mayStartIteration(vuIndex, done) {
		if (this.state !== 'running') return false;
		switch (this.executor.type) {
			case 'constant-vus': return true;
			case 'per-vu-iterations': return done < this.executor.iterations;
			case 'shared-iterations':
				if (this.claimed >= this.executor.iterations) return false;
				this.claimed += 1;
				return true;
			default: return false;
		}
	}

	async #vu(index) {
		const agent = new http.Agent({keepAlive: true, maxSockets: 1});
		this.activeVUs += 1;
		let done = 0;
		try {
			while (this.#mayStartIteration(index, done)) {
				const iteration = this.iterations;
				this.iterations += 1;
				const full = await this.#iteration({agent, index}, iteration);
				done += 1;
				if (full) this.complete += 1;
				else this.interrupted += 1;
			}
		} finally {
			this.activeVUs -= 1;
			agent.destroy();
		}
	}

	/** One iteration of the default function. Resolves to true when it completed. */
	async #iteration(vu, n) {
		const start = hr();
		const io = {sent: 0, received: 0};
		let group = '';
		let groupStart = 0n;
		const baseTags = () => ({...this.runTags, scenario: this.scenario, group});
		const closeGroup = () => {
			if (group !== '') {
				this.emit([sample('group_duration', ms(groupStart, hr()), baseTags())]);
				group = '';
			}
		};
		let full = true;
		for (const step of this.endpoints) {
			if (step.every && n % step.every !== 0) continue;
			const stepGroup = step.group === '' ? '' : `::${step.group}`;
			if (stepGroup !== group) {
				closeGroup();
				if (stepGroup !== '') {
					group = stepGroup;
					groupStart = hr();
				}
			}
			const result = await this.#request(vu, step, n);
			if (!result) {
				full = false;
				break;
			}
			io.sent += result.sent;
			io.received += result.received;
			this.requests += 1;
			const expected = result.status >= 200 && result.status < 400;
			/** @type {Record<string,string>} */
			const tags = {
				...baseTags(), name: step.name, url: step.name, method: step.method, status: String(result.status),
				proto: 'HTTP/1.1', expected_response: String(expected),
			};
			if (result.status >= 400) tags.error_code = String(1000 + result.status);
			const t = Date.now();
			this.emit([
				sample('http_reqs', 1, tags, t),
				sample('http_req_duration', result.sending + result.waiting + result.receiving, tags, t),
				sample('http_req_blocked', result.blocked, tags, t),
				sample('http_req_connecting', result.connecting, tags, t),
				sample('http_req_tls_handshaking', 0, tags, t),
				sample('http_req_sending', result.sending, tags, t),
				sample('http_req_waiting', result.waiting, tags, t),
				sample('http_req_receiving', result.receiving, tags, t),
				sample('http_req_failed', expected ? 0 : 1, tags, t),
				sample('checks', result.status === step.status ? 1 : 0, {...baseTags(), check: step.check}, t),
			]);
		}
		if (full) {
			closeGroup();
			full = await this.#sleep(this.sleepMs);
		}
		const end = Date.now();
		const iterTags = {...this.runTags, scenario: this.scenario, group: ''};
		const samples = [sample('data_sent', io.sent, iterTags, end), sample('data_received', io.received, iterTags, end)];
		if (full) {
			samples.push(sample('iteration_duration', ms(start, hr()), iterTags, end), sample('iterations', 1, iterTags, end));
		}
		this.emit(samples);
		return full;
	}

	#sleep(duration) {
		return new Promise((resolve) => {
			if (this.abort.signal.aborted) {
				resolve(false);
				return;
			}
			const timer = setTimeout(() => {
				this.abort.signal.removeEventListener('abort', onAbort);
				resolve(true);
			}, duration);
			const onAbort = () => {
				clearTimeout(timer);
				resolve(false);
			};
			this.abort.signal.addEventListener('abort', onAbort, {once: true});
		});
	}

	/**
	 * One real HTTP request with k6's timing phases (ms). Resolves to null when interrupted.
	 * @returns {Promise<null | {status: number, blocked: number, connecting: number, sending: number,
	 *   waiting: number, receiving: number, sent: number, received: number}>}
	 */
	#request(vu, step, n) {
		return new Promise((resolve) => {
			if (this.abort.signal.aborted) {
				resolve(null);
				return;
			}
			let settled = false;
			const settle = (value) => {
				if (!settled) {
					settled = true;
					resolve(value);
				}
			};
			const t0 = hr();
			let tSocket = t0;
			let tConnect = t0;
			let tFinish = t0;
			let tResponse = t0;
			/** @type {import('node:net').Socket | undefined} */
			let socket;
			let base = {written: 0, read: 0};
			const url = new URL(step.path.replace('{id}', String(n % 1000)), this.targetUrl);
			const body = step.body ?? '';
			const request = http.request(url, {
				method: step.method,
				agent: vu.agent,
				signal: this.abort.signal,
				headers: {
					'User-Agent': 'Grafana k6/1.7.1',
					...(body ? {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body)} : {}),
				},
			});
			request.on('socket', (s) => {
				socket = s;
				tSocket = hr();
				base = {written: s.bytesWritten, read: s.bytesRead};
				if (s.connecting) {
					s.once('connect', () => {
						tConnect = hr();
					});
				} else {
					tConnect = tSocket;
				}
			});
			request.on('finish', () => {
				tFinish = hr();
			});
			request.on('response', (response) => {
				tResponse = hr();
				response.on('data', () => {});
				response.on('error', () => settle(null));
				response.on('aborted', () => settle(null));
				response.on('end', () => {
					const tEnd = hr();
					const sendingFrom = tConnect > tFinish ? tFinish : tConnect;
					settle({
						status: response.statusCode ?? 0,
						blocked: ms(t0, tSocket),
						connecting: ms(tSocket, tConnect < tSocket ? tSocket : tConnect),
						sending: ms(sendingFrom, tFinish),
						waiting: ms(tFinish, tResponse),
						receiving: ms(tResponse, tEnd),
						sent: socket ? socket.bytesWritten - base.written : 0,
						received: socket ? socket.bytesRead - base.read : 0,
					});
				});
			});
			request.on('error', () => settle(null));
			request.end(body);
		});
	}
}
