// Starts and stops one k6 run at a time, for the UI (r / x / quit) and for `kmon run`. k6 runs in its own
// process group with its stdout and stderr going straight to the run's log files: Ctrl-C in the terminal
// reaches only kmon, which forwards exactly one SIGINT (k6's graceful stop) and, after a grace period, kills
// the whole group (k6 and anything it started); and a detached run keeps logging after kmon is gone.

import {spawn, type ChildProcess} from 'node:child_process';
import {closeSync, constants, openSync, accessSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {Config} from '../config/config.js';
import {createClient} from '../once.js';
import type {Querier} from '../prometheus/querier.js';
import {chooseOutput, type OutputChoice, type OutputRequest, parseK6Version} from './choose-output.js';
import {type ChildEnvironment, childEnvironment} from './child-environment.js';
import {exitCodeMeaning} from './exit-codes.js';
import {findK6Binary, type K6Binary} from './find-k6-binary.js';
import {type FileFollower, followFile, lineSplitter} from './follow-file.js';
import {k6Defaults, type K6Options, resolveK6Options, runsFolder} from './k6-options.js';
import {parseProgressLine, parseScenarioLine, type RunProgress, type ScenarioProgress} from './parse-progress-line.js';
import {fail, type Outcome, type Problem, succeed} from './problem.js';
import {processStartMark} from './process-liveness.js';
import {readK6Version} from './read-k6-version.js';
import {redactArguments} from './redact-arguments.js';
import {createRunFolder, markerOf, runFile, type RunRecord, writeRunRecord} from './run-store.js';
import {summarizeRun} from './summarize-run.js';

/** Everything decided before k6 starts, so the UI can show it in a one-line confirmation first. */
export type RunPlan = {
	/** Absolute path of the script. */
	script: string;
	/** Extra k6 arguments from the user, e.g. ["--vus", "10"]. */
	userArgs: string[];
	binary: K6Binary;
	/** `k6 version` as printed (first line), null if unreadable. */
	k6Version: string | null;
	output: OutputChoice;
	/** The full argument vector: [k6 path, "run", "-o", …, script]. */
	command: string[];
	environment: ChildEnvironment;
	/** One line for the confirmation, e.g. "k6 run -o output-statsd --vus 10 load.js · K6_STATSD_ENABLE_TAGS=true …". */
	description: string;
};

export type RunStatus = 'idle' | 'running' | 'stopping' | 'finished' | 'failed' | 'detached';

export type OutputLine = {stream: 'stdout' | 'stderr'; text: string};

export type RunState = {
	status: RunStatus;
	run: {
		id: string;
		folder: string;
		script: string;
		command: string[];
		pid: number | null;
		startedAt: string;
		endedAt: string | null;
	} | null;
	/** Wall-clock seconds since the start (to the end once ended). */
	elapsedSeconds: number | null;
	/** From k6's latest status line: VUs, iterations, k6's own elapsed time. */
	progress: RunProgress | null;
	/** Latest percentage per scenario. */
	scenarios: ScenarioProgress[];
	/** The last non-empty lines of k6's output, oldest first. */
	lastLines: OutputLine[];
	exit: {code: number | null; signal: string | null; meaning: string} | null;
	stoppedBy: 'user' | 'hard-stop' | null;
	/** ISO time of the hard stop while stopping gracefully. */
	hardStopAt: string | null;
	summary: {state: 'none' | 'pending' | 'saved' | 'failed' | 'skipped'; file: string | null; message: string | null};
};

export type RunControllerOptions = {
	/** Prometheus (for the summary and remote write) and the tag key. */
	config: Config;
	/** How to start k6; defaults to what the environment says (K6_BIN, KMON_STATSD_ADDR, …), else the defaults. */
	k6?: K6Options;
	env?: NodeJS.ProcessEnv;
	cwd?: string;
	/** Defaults to a Prometheus client built from `config`. */
	querier?: Querier;
	/** How often k6's log files are read. */
	followMs?: number;
	lastLineCount?: number;
	/** Take summary.json at the end (default true). */
	summarize?: boolean;
};

export type RunController = {
	/** Finds k6, reads its version, picks the output, checks the script: everything short of starting. */
	prepare(script: string, userArgs?: string[], output?: OutputRequest): Promise<Outcome<RunPlan>>;
	/** Starts a prepared plan, or prepares and starts a script. One run at a time, across kmon processes. */
	start(plan: RunPlan | string, userArgs?: string[]): Promise<Outcome<RunState>>;
	/** Graceful stop (SIGINT), hard stop after the grace period; called again while stopping, or with hard, stops at once. */
	stop(options?: {hard?: boolean}): boolean;
	/** Leaves k6 running without kmon (quit → "leave it running"); run.json says so, and readers check its pid. */
	detach(): boolean;
	readonly state: RunState;
	subscribe(listener: (state: RunState) => void): () => void;
	/** Raw output as it is read from the logs, for `kmon run` to stream to the terminal. */
	subscribeOutput(listener: (line: OutputLine) => void): () => void;
	/** Gives up the summary being taken after the run (quit while it is pending); settles at once. */
	skipSummary(): boolean;
	/** Resolves once the current run has ended and its summary is written (at once when idle or detached). */
	settled(): Promise<RunState>;
	/** Stops following (not k6): for tests and for shutting down after detach. */
	dispose(): void;
};

const idleState: RunState = {
	status: 'idle',
	run: null,
	elapsedSeconds: null,
	progress: null,
	scenarios: [],
	lastLines: [],
	exit: null,
	stoppedBy: null,
	hardStopAt: null,
	summary: {state: 'none', file: null, message: null},
};

/** Values that are addresses and switches, not credentials: safe to show in the confirmation line. */
const showableValues = new Set(['K6_STATSD_ENABLE_TAGS', 'K6_STATSD_ADDR', 'K6_PROMETHEUS_RW_SERVER_URL', 'K6_PROMETHEUS_RW_TREND_STATS']);

export function createRunController(controllerOptions: RunControllerOptions): RunController {
	const env = controllerOptions.env ?? process.env;
	// Bad k6 settings in the environment are reported by prepare(), as a problem, not thrown here.
	const fromEnv = controllerOptions.k6 ? undefined : resolveK6Options({}, env);
	const settingsProblem = fromEnv && !fromEnv.ok ? fromEnv.problem : undefined;
	const options = {
		...controllerOptions,
		k6: controllerOptions.k6 ?? (fromEnv?.ok ? fromEnv.value : fallbackK6Options(env)),
	};
	const cwd = options.cwd ?? process.cwd();
	const followMs = options.followMs ?? 250;
	const lastLineCount = options.lastLineCount ?? 20;
	const listeners = new Set<(state: RunState) => void>();
	const outputListeners = new Set<(line: OutputLine) => void>();
	let querier = options.querier;
	let state: RunState = idleState;
	let child: ChildProcess | null = null;
	let record: RunRecord | null = null;
	let followers: FileFollower[] = [];
	let followTimer: NodeJS.Timeout | undefined;
	let hardStopTimer: NodeJS.Timeout | undefined;
	let settledPromise: Promise<RunState> = Promise.resolve(state);
	let settle: (state: RunState) => void = () => undefined;
	let lastEmit = 0;
	let detached = false;
	let summaryAbort: AbortController | null = null;
	let ownClient: ReturnType<typeof createClient> | null = null;

	const emit = (next: Partial<RunState>) => {
		const run = next.run ?? state.run;
		const end = run?.endedAt ? Date.parse(run.endedAt) : Date.now();
		state = {...state, ...next, elapsedSeconds: run ? Math.max(0, (end - Date.parse(run.startedAt)) / 1000) : null};
		lastEmit = Date.now();
		for (const listener of listeners) {
			try {
				listener(state);
			} catch {
				// A failing listener must not stop the run's bookkeeping.
			}
		}
	};

	const saveRecord = (changes: Partial<RunRecord>) => {
		if (!record || !state.run) {
			return;
		}

		record = {...record, ...changes};
		try {
			writeRunRecord(state.run.folder, record);
		} catch {
			// The state dir vanished or filled up: the run goes on; the UI still has the live state.
		}
	};

	const prepare = async (script: string, userArgs: string[] = [], output: OutputRequest = options.k6.output): Promise<Outcome<RunPlan>> => {
		if (settingsProblem) {
			return {ok: false, problem: settingsProblem};
		}

		const binary = findK6Binary({flag: options.k6.k6, env, cwd});
		if (!binary.ok) {
			return binary;
		}

		const scriptPath = path.resolve(cwd, script);
		const scriptProblem = checkScript(scriptPath);
		if (scriptProblem) {
			return {ok: false, problem: scriptProblem};
		}

		const version = await readK6Version(binary.value.path, env);
		if (!version.ok) {
			return version;
		}

		const choice = chooseOutput(version.value, output);
		if (!choice.ok) {
			return choice;
		}

		const environment = childEnvironment(env, {
			output: choice.value.kind,
			statsdAddr: options.k6.statsdAddr,
			prometheusUrl: options.config.prometheusUrl,
			credentials: options.config.credentials,
			headers: options.config.headers,
		});
		const args = ['run', ...choice.value.args, ...userArgs, scriptPath];
		const shown = environment.set.map(name => showableValues.has(name) ? `${name}=${environment.env[name]}` : name);
		const build = parseK6Version(version.value);
		return succeed({
			script: scriptPath,
			userArgs,
			binary: binary.value,
			k6Version: build?.versionText ?? null,
			output: choice.value,
			command: [binary.value.path, ...args],
			environment,
			description: `k6 run ${[...choice.value.args, ...userArgs].join(' ')} ${path.relative(cwd, scriptPath) || scriptPath} · ${shown.join(' ')}`,
		});
	};

	const readOutput = () => {
		for (const follower of followers) {
			follower.readNew();
		}

		if (Date.now() - lastEmit >= 1000 && (state.status === 'running' || state.status === 'stopping')) {
			emit({});
		}
	};

	const stopFollowing = () => {
		clearInterval(followTimer);
		followTimer = undefined;
		for (const follower of followers) {
			follower.close();
		}

		followers = [];
	};

	const follow = (folder: string) => {
		let pending: Partial<RunState> | null = null;
		const flush = () => {
			if (pending) {
				emit(pending);
				pending = null;
			}
		};

		const onLine = (stream: OutputLine['stream']) => (text: string) => {
			if (stream === 'stdout') {
				const progress = parseProgressLine(text);
				if (progress) {
					pending = {...pending, progress};
					return;
				}

				const scenario = parseScenarioLine(text);
				if (scenario) {
					const scenarios = [...(pending?.scenarios ?? state.scenarios).filter(item => item.scenario !== scenario.scenario), scenario];
					pending = {...pending, scenarios};
					return;
				}
			}

			if (text.trim()) {
				const lastLines = [...(pending?.lastLines ?? state.lastLines), {stream, text}].slice(-lastLineCount);
				pending = {...pending, lastLines};
			}
		};

		for (const stream of ['stdout', 'stderr'] as const) {
			const lines = lineSplitter(onLine(stream));
			const follower = followFile(runFile(folder, stream), text => {
				for (const listener of outputListeners) {
					listener({stream, text});
				}

				lines.push(text);
			});
			followers.push({
				readNew() {
					const read = follower.readNew();
					flush();
					return read;
				},
				close() {
					follower.readNew();
					lines.flush();
					flush();
					follower.close();
				},
			});
		}

		followTimer = setInterval(readOutput, followMs);
		followTimer.unref();
	};

	const finish = async (code: number | null, signal: NodeJS.Signals | null) => {
		clearTimeout(hardStopTimer);
		stopFollowing();
		child = null;
		const run = state.run!;
		const endedAt = new Date().toISOString();
		const userStop = state.stoppedBy === 'user' && code === 105;
		const status = code === 0 || userStop ? 'finished' : 'failed';
		// kmon knows when the SIGKILL was its own hard stop: say so, rather than guess at the out-of-memory killer.
		const meaning = signal === 'SIGKILL' && state.stoppedBy === 'hard-stop'
			? 'hard stop: k6 had not stopped when asked, so kmon killed its process group'
			: exitCodeMeaning({code, signal});
		// A detached run that ends while kmon is still quitting gets its end recorded, but no summary: waiting for
		// Prometheus would hold up the quit the user just asked for.
		const summarize = (options.summarize ?? true) && !detached;
		saveRecord({endedAt, state: status, exitCode: code, signal, exitMeaning: meaning, summary: {state: summarize ? 'pending' : 'none', message: null}});
		emit({
			status,
			run: {...run, endedAt},
			exit: {code, signal, meaning},
			hardStopAt: null,
			summary: {state: summarize ? 'pending' : 'none', file: null, message: null},
		});
		if (summarize) {
			await writeSummary(run.folder, {...markerOf({...record!, note: null})});
		}

		settle(state);
	};

	const writeSummary = async (folder: string, marker: ReturnType<typeof markerOf>) => {
		const file = runFile(folder, 'summary');
		summaryAbort = new AbortController();
		const {signal} = summaryAbort;
		try {
			if (!querier) {
				ownClient = createClient(options.config);
				querier = ownClient;
			}

			const summary = await summarizeRun(querier, {...marker, endedAt: marker.endedAt!}, {
				url: options.config.prometheusUrl,
				tagKey: options.config.tagKey,
				maxWaitMs: options.k6.summaryWaitMs,
				signal,
			});
			signal.throwIfAborted();
			writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`, {mode: 0o600});
			const prometheusDown = summary.diagnostics.find(diagnostic => diagnostic.id.startsWith('prometheus-'));
			const message = prometheusDown ? `saved, but Prometheus failed: ${prometheusDown.message}` : null;
			saveRecord({summary: {state: 'saved', message}});
			emit({summary: {state: 'saved', file, message}});
		} catch (error) {
			if (!signal.aborted) {
				const message = (error as Error).message;
				saveRecord({summary: {state: 'failed', message}});
				emit({summary: {state: 'failed', file: null, message}});
			}
		} finally {
			summaryAbort = null;
		}
	};

	const hardStop = () => {
		clearTimeout(hardStopTimer);
		if (!child?.pid) {
			return;
		}

		try {
			// The negative pid names k6's process group: k6 and whatever it started (a browser, helpers).
			process.kill(-child.pid, 'SIGKILL');
		} catch {
			// Already gone.
		}

		emit({stoppedBy: 'hard-stop', hardStopAt: null});
		saveRecord({stoppedBy: 'hard-stop'});
	};

	const start = async (target: RunPlan | string, userArgs: string[] = []): Promise<Outcome<RunState>> => {
		if (state.status === 'running' || state.status === 'stopping') {
			return fail('run-in-progress', `a k6 run is already going (${state.run?.id})`, 'stop it first (x), or wait for it to end');
		}

		const prepared = typeof target === 'string' ? await prepare(target, userArgs) : succeed(target);
		if (!prepared.ok) {
			return prepared;
		}

		const plan = prepared.value;
		// Runs of other kmon processes do not block this one (two kmon run in one second both run, issue 19):
		// the folder claim below gives each its own id, and kmon run names the others it runs beside.
		const startedAt = new Date();
		const claimed = createRunFolder(options.k6.runsFolder, plan.script, startedAt);
		if (!claimed.ok) {
			return claimed;
		}

		const {id, folder} = claimed.value;
		let spawned: ChildProcess;
		const out = openSync(runFile(folder, 'stdout'), 'a', 0o600);
		const err = openSync(runFile(folder, 'stderr'), 'a', 0o600);
		try {
			spawned = spawn(plan.command[0]!, plan.command.slice(1), {
				cwd,
				env: plan.environment.env,
				stdio: ['ignore', out, err],
				// A process group of its own: terminal signals reach kmon only, and the hard stop can kill the group.
				detached: true,
			});
		} finally {
			closeSync(out);
			closeSync(err);
		}

		// An exit before the bookkeeping below is done is kept and handled once it is (a k6 that fails at once).
		let earlyExit: [number | null, NodeJS.Signals | null] | undefined;
		const keepEarlyExit = (code: number | null, signal: NodeJS.Signals | null) => {
			earlyExit = [code, signal];
		};

		spawned.once('exit', keepEarlyExit);
		const spawnError = await new Promise<Error | undefined>(resolve => {
			if (spawned.pid !== undefined) {
				resolve(undefined);
				return;
			}

			spawned.once('error', resolve);
		});
		record = {
			schema: 1,
			id,
			script: plan.script,
			args: redactArguments(plan.command.slice(1)),
			k6: {path: plan.binary.path, version: plan.k6Version, output: plan.output.kind, outputReason: plan.output.reason},
			env: {set: plan.environment.set, removed: plan.environment.removed},
			statsdAddr: plan.output.kind === 'prometheus-rw' ? null : options.k6.statsdAddr,
			startedAt: startedAt.toISOString(),
			endedAt: null,
			pid: spawned.pid ?? null,
			pidStartMark: spawned.pid === undefined ? null : processStartMark(spawned.pid),
			owner: {pid: process.pid, startMark: processStartMark(process.pid)},
			state: 'running',
			exitCode: null,
			signal: null,
			exitMeaning: null,
			stoppedBy: null,
			summary: {state: 'none', message: null},
		};
		state = {
			...idleState,
			status: 'running',
			run: {id, folder, script: plan.script, command: plan.command, pid: spawned.pid ?? null, startedAt: record.startedAt, endedAt: null},
		};
		if (spawnError) {
			const endedAt = new Date().toISOString();
			saveRecord({state: 'failed', endedAt, exitMeaning: `k6 did not start: ${spawnError.message}`});
			emit({status: 'failed', run: {...state.run!, endedAt}, exit: {code: null, signal: null, meaning: `k6 did not start: ${spawnError.message}`}});
			return fail('k6-start-failed', `k6 did not start: ${spawnError.message}`, `check ${plan.binary.path}`);
		}

		saveRecord({});
		child = spawned;
		detached = false;
		settledPromise = new Promise(resolve => {
			settle = resolve;
		});
		follow(folder);
		emit({});
		spawned.off('exit', keepEarlyExit);
		if (earlyExit) {
			void finish(...earlyExit);
		} else {
			spawned.once('exit', (code, signal) => {
				void finish(code, signal);
			});
		}

		return succeed(state);
	};

	return {
		prepare,
		start,
		stop({hard = false} = {}) {
			if (!child?.pid || (state.status !== 'running' && state.status !== 'stopping')) {
				return false;
			}

			if (hard || state.status === 'stopping') {
				hardStop();
				return true;
			}

			try {
				// k6 itself only, like one Ctrl-C: it stops its VUs, runs teardown and prints the summary.
				process.kill(child.pid, 'SIGINT');
			} catch {
				return false;
			}

			const hardStopAt = new Date(Date.now() + options.k6.stopGraceMs).toISOString();
			hardStopTimer = setTimeout(hardStop, options.k6.stopGraceMs);
			saveRecord({state: 'stopping', stoppedBy: 'user'});
			emit({status: 'stopping', stoppedBy: 'user', hardStopAt});
			return true;
		},
		detach() {
			if (!child || (state.status !== 'running' && state.status !== 'stopping')) {
				return false;
			}

			detached = true;
			clearTimeout(hardStopTimer);
			stopFollowing();
			// kmon may now exit while k6 goes on; if kmon is still there when k6 ends, the end is still recorded.
			child.unref();
			saveRecord({state: 'detached'});
			emit({status: 'detached', hardStopAt: null});
			settle(state);
			return true;
		},
		skipSummary() {
			if (!summaryAbort || state.summary.state !== 'pending') {
				return false;
			}

			summaryAbort.abort();
			// Queries in flight are cancelled too (a client kmon made for this; an injected one is left alone).
			ownClient?.close();
			ownClient = null;
			querier = options.querier;
			const message = 'skipped: kmon was asked to quit while it waited for Prometheus';
			saveRecord({summary: {state: 'skipped', message}});
			emit({summary: {state: 'skipped', file: null, message}});
			settle(state);
			return true;
		},
		get state() {
			return state;
		},
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		subscribeOutput(listener) {
			outputListeners.add(listener);
			return () => outputListeners.delete(listener);
		},
		async settled() {
			return settledPromise;
		},
		dispose() {
			clearTimeout(hardStopTimer);
			stopFollowing();
			listeners.clear();
			outputListeners.clear();
		},
	};
}

function fallbackK6Options(env: NodeJS.ProcessEnv): K6Options {
	return {k6: undefined, statsdAddr: k6Defaults.statsdAddr, output: 'auto', stopGraceMs: 10_000, summaryWaitMs: k6Defaults.summaryWaitMs, runsFolder: runsFolder(env)};
}

function checkScript(file: string): Problem | undefined {
	try {
		if (!statSync(file).isFile()) {
			return {code: 'script-not-file', message: `${file} is not a file`, fix: 'give the path of a k6 script (.js)'};
		}

		accessSync(file, constants.R_OK);
		return undefined;
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return code === 'ENOENT'
			? {code: 'script-not-found', message: `no script at ${file}`, fix: 'check the path (relative paths start from the current folder)'}
			: {code: 'script-unreadable', message: `cannot read ${file} (${code ?? 'error'})`, fix: 'check its permissions'};
	}
}
