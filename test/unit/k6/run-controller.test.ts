import {chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, beforeAll, beforeEach, describe, expect, test} from 'vitest';
import {resolveConfig} from '../../../source/config/config.js';
import type {K6Options} from '../../../source/k6/k6-options.js';
import {createRunController, type RunController, type RunState} from '../../../source/k6/run-controller.js';
import {listRuns, readRunRecord, runFile} from '../../../source/k6/run-store.js';
import type {Querier} from '../../../source/prometheus/querier.js';

// The controller against a tiny k6 (fixtures/tiny-k6.mjs): real processes, signals and files, no network.

const tinyK6 = fileURLToPath(new URL('fixtures/tiny-k6.mjs', import.meta.url));
const down = {ok: false as const, error: {kind: 'unreachable' as const, message: 'connection refused', status: null}};
const prometheusDown: Querier = {instant: async () => down, range: async () => down, labelNames: async () => down, targets: async () => down, version: async () => down};

let state: string;
let script: string;
let controllers: RunController[] = [];

beforeAll(() => {
	chmodSync(tinyK6, 0o755);
});

beforeEach(() => {
	state = mkdtempSync(path.join(tmpdir(), 'kmon-runs-'));
	script = path.join(state, 'load.js');
	writeFileSync(script, 'export default function () {}\n');
});

afterEach(() => {
	for (const controller of controllers) {
		const {run, status} = controller.state;
		if (run?.pid && (status === 'running' || status === 'stopping')) {
			try {
				process.kill(-run.pid, 'SIGKILL');
			} catch {}
		}

		controller.dispose();
	}

	controllers = [];
	rmSync(state, {recursive: true, force: true});
});

function options(overrides: Partial<K6Options> = {}): K6Options {
	return {k6: undefined, statsdAddr: '127.0.0.1:8125', output: 'auto', stopGraceMs: 400, summaryWaitMs: 100, runsFolder: path.join(state, 'kmon', 'runs'), ...overrides};
}

function controllerWith(env: Record<string, string> = {}, k6: Partial<K6Options> = {}, querier: Querier = prometheusDown): RunController {
	const controller = createRunController({
		config: resolveConfig({flags: {}, env: {}, file: {}}),
		k6: options(k6),
		env: {PATH: process.env['PATH'] ?? '', K6_BIN: tinyK6, ...env},
		cwd: state,
		querier,
		followMs: 20,
	});
	controllers.push(controller);
	return controller;
}

async function started(controller: RunController, args: string[] = []): Promise<RunState> {
	const result = await controller.start(script, args);
	if (!result.ok) {
		throw new Error(result.problem.message);
	}

	return result.value;
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error('condition not met in time');
		}

		await new Promise(resolve => {
			setTimeout(resolve, 10);
		});
	}
}

describe('Given a k6 that runs to the end', () => {
	test('when it is started, then the run is followed live and kept with its logs, record and summary', async () => {
		const controller = controllerWith();
		const statuses: string[] = [];
		controller.subscribe(next => statuses.push(next.status));
		let streamed = '';
		controller.subscribeOutput(({text}) => {
			streamed += text;
		});

		const first = await started(controller);
		expect(first).toMatchObject({status: 'running', run: {script, pid: expect.any(Number), endedAt: null}});
		expect(readRunRecord(first.run!.folder)).toMatchObject({ok: true, value: {state: 'running', pid: first.run!.pid, endedAt: null}});

		const final = await controller.settled();
		expect(final).toMatchObject({
			status: 'finished',
			exit: {code: 0, signal: null, meaning: expect.stringMatching(/^finished/)},
			progress: {vus: 2, maxVus: 2, completeIterations: expect.any(Number)},
			scenarios: [{scenario: 'default', percent: expect.any(Number)}],
			summary: {state: 'saved', file: runFile(first.run!.folder, 'summary')},
		});
		expect(final.progress!.completeIterations).toBeGreaterThan(0);
		expect(final.elapsedSeconds).toBeGreaterThan(0.2);
		expect(final.lastLines).toContainEqual({stream: 'stdout', text: 'tags=true addr=127.0.0.1:8125 kmon-secret-visible=no'});
		expect(statuses[0]).toBe('running');
		expect(statuses.at(-1)).toBe('finished');
		expect(streamed).toMatch(/running \(0m00\.\ds\), 02\/02 VUs/);

		const folder = first.run!.folder;
		expect(readdirSync(folder).sort()).toEqual(['run.json', 'stderr.log', 'stdout.log', 'summary.json']);
		// What was streamed is exactly what the log holds (stderr is empty on success).
		expect(readFileSync(runFile(folder, 'stderr'), 'utf8')).toBe('');
		expect(streamed).toBe(readFileSync(runFile(folder, 'stdout'), 'utf8'));
		expect(readRunRecord(folder)).toMatchObject({ok: true, value: {state: 'finished', exitCode: 0, endedAt: expect.any(String), summary: {state: 'saved'}}});
		expect(JSON.parse(readFileSync(runFile(folder, 'summary'), 'utf8'))).toMatchObject({schema: 1, runs: [{id: first.run!.id, exitCode: 0}], peaks: {}});
	});

	test.each([
		{code: 99, meaning: /thresholds failed/},
		{code: 107, meaning: /script exception/},
		{code: 108, meaning: /test\.abort\(\)/},
		{code: 110, meaning: /marked as failed/},
	])('when it exits $code, then the run failed and says $meaning', async ({code, meaning}) => {
		const controller = controllerWith({TINY_K6_EXIT_CODE: String(code)});
		await started(controller);
		const final = await controller.settled();
		expect(final).toMatchObject({status: 'failed', exit: {code, meaning: expect.stringMatching(meaning)}});
		expect(final.lastLines.at(-1)).toMatchObject({stream: 'stderr', text: expect.stringContaining(`exiting with ${code}`)});
		expect(readRunRecord(final.run!.folder)).toMatchObject({ok: true, value: {state: 'failed', exitCode: code}});
	});
});

describe('Given a run whose summary waits for Prometheus', () => {
	test('when the summary is skipped (quit while pending), then the run settles at once and says so', async () => {
		// A Prometheus that answers but never scrapes again: the summary would wait the full 10 s.
		const stale: Querier = {...prometheusDown, targets: async () => ({ok: true, value: [{job: 'j', instance: 'i', health: 'up', lastError: null, lastScrape: '2020-01-01T00:00:00.000Z'}]})};
		const controller = controllerWith({}, {summaryWaitMs: 10_000}, stale);
		const first = await started(controller);
		await until(() => controller.state.summary.state === 'pending', 5000);
		const asked = Date.now();
		expect(controller.skipSummary()).toBe(true);
		const final = await controller.settled();
		expect(Date.now() - asked).toBeLessThan(200);
		expect(final).toMatchObject({status: 'finished', summary: {state: 'skipped', file: null}});
		expect(readRunRecord(first.run!.folder)).toMatchObject({ok: true, value: {summary: {state: 'skipped'}}});
		expect(existsSync(runFile(first.run!.folder, 'summary'))).toBe(false);
		expect(controller.skipSummary()).toBe(false);
	});
});

describe('Given a long run', () => {
	test('when it is stopped, then k6 gets one SIGINT and the run ends as stopped (105)', async () => {
		const controller = controllerWith({TINY_K6_DURATION_MS: '20000'});
		await started(controller);
		await until(() => controller.state.progress !== null);
		const asked = Date.now();
		expect(controller.stop()).toBe(true);
		expect(controller.state).toMatchObject({status: 'stopping', stoppedBy: 'user', hardStopAt: expect.any(String)});
		const final = await controller.settled();
		expect(final).toMatchObject({status: 'finished', stoppedBy: 'user', exit: {code: 105, meaning: expect.stringMatching(/aborted from outside/)}});
		expect(final.run!.endedAt).not.toBeNull();
		expect(Date.parse(final.run!.endedAt!) - asked).toBeLessThan(400);
		expect(readRunRecord(final.run!.folder)).toMatchObject({ok: true, value: {state: 'finished', stoppedBy: 'user', exitCode: 105}});
	});

	test('when k6 ignores SIGINT, then after the grace period its whole process group is killed', async () => {
		const controller = controllerWith({TINY_K6_DURATION_MS: '20000', TINY_K6_IGNORE_SIGINT: '1', TINY_K6_CHILD: '1'});
		const first = await started(controller);
		await until(() => controller.state.lastLines.some(line => line.text.startsWith('child-pid=')));
		const helper = Number(controller.state.lastLines.find(line => line.text.startsWith('child-pid='))!.text.split('=')[1]);
		expect(alive(helper)).toBe(true);
		const asked = Date.now();
		controller.stop();
		const final = await controller.settled();
		const took = Date.now() - asked;
		expect(final).toMatchObject({status: 'failed', stoppedBy: 'hard-stop', exit: {code: null, signal: 'SIGKILL', meaning: expect.stringMatching(/^hard stop: k6 had not stopped when asked/)}});
		expect(took).toBeGreaterThanOrEqual(400);
		expect(took).toBeLessThan(1500);
		await until(() => !alive(helper));
		expect(alive(first.run!.pid!)).toBe(false);
	});

	test('when stop is asked twice, then the second is the hard stop, at once', async () => {
		const controller = controllerWith({TINY_K6_DURATION_MS: '20000', TINY_K6_IGNORE_SIGINT: '1'}, {stopGraceMs: 60_000});
		await started(controller);
		await until(() => controller.state.progress !== null);
		controller.stop();
		const asked = Date.now();
		controller.stop();
		const final = await controller.settled();
		expect(Date.now() - asked).toBeLessThan(1000);
		expect(final).toMatchObject({stoppedBy: 'hard-stop', exit: {signal: 'SIGKILL'}});
	});

	test('when another run is started meanwhile, then this kmon refuses it (one run per monitor), and a second kmon runs its own', async () => {
		const controller = controllerWith({TINY_K6_DURATION_MS: '20000'});
		const first = await started(controller);
		expect(await controller.start(script)).toMatchObject({ok: false, problem: {code: 'run-in-progress'}});
		// A second kmon (another controller on the same run store), in the same second: its run gets an id of its own.
		const other = controllerWith({TINY_K6_DURATION_MS: '20000'});
		const second = await other.start(script);
		expect(second.ok).toBe(true);
		expect(second.ok && second.value.status).toBe('running');
		expect(second.ok && second.value.run!.id).not.toBe(first.run!.id);
		for (const each of [controller, other]) {
			each.stop({hard: true});
			await each.settled();
		}
	});

	test('when kmon detaches, then k6 keeps running and the run store says so', async () => {
		const controller = controllerWith({TINY_K6_DURATION_MS: '20000'});
		const first = await started(controller);
		expect(controller.detach()).toBe(true);
		expect(controller.state.status).toBe('detached');
		expect(await controller.settled()).toMatchObject({status: 'detached'});
		expect(alive(first.run!.pid!)).toBe(true);
		expect(readRunRecord(first.run!.folder)).toMatchObject({ok: true, value: {state: 'detached', endedAt: null}});
		expect(listRuns(options().runsFolder).runs).toMatchObject([{id: first.run!.id, state: 'detached', endedAt: null}]);
		process.kill(-first.run!.pid!, 'SIGKILL');
		await until(() => !alive(first.run!.pid!));
	});
});

describe('Given something in the way of starting', () => {
	test.each<{case: string; env: Record<string, string>; script: string; code: string}>([
		{case: 'no k6 anywhere', env: {K6_BIN: '', PATH: '/nonexistent'}, script: 'load.js', code: 'k6-not-found'},
		{case: 'a missing script', env: {}, script: 'missing.js', code: 'script-not-found'},
		{case: 'a folder as script', env: {}, script: '.', code: 'script-not-file'},
		{case: 'a stock k6 (no StatsD)', env: {TINY_K6_FLAVOR: 'stock'}, script: 'load.js', code: 'k6-without-statsd'},
	])('when there is $case, then prepare says $code and nothing is started', async ({env, script: name, code}) => {
		const controller = controllerWith(env);
		expect(await controller.prepare(name)).toMatchObject({ok: false, problem: {code}});
		expect(existsSync(options().runsFolder)).toBe(false);
	});

	test('when the k6 is old (< v0.55, no --json), then the built-in statsd output is used', async () => {
		const plan = await controllerWith({TINY_K6_FLAVOR: 'legacy'}).prepare('load.js', ['--vus', '3']);
		expect(plan).toMatchObject({ok: true, value: {k6Version: 'v0.54.0', command: [tinyK6, 'run', '-o', 'statsd', '--vus', '3', script]}});
	});

	test('when a stock k6 is asked to use remote write, then it is pointed at Prometheus and the line says so', async () => {
		const plan = await controllerWith({TINY_K6_FLAVOR: 'stock'}).prepare('load.js', [], 'prometheus-rw');
		expect(plan).toMatchObject({ok: true, value: {
			command: [tinyK6, 'run', '-o', 'experimental-prometheus-rw', script],
			environment: {env: {K6_PROMETHEUS_RW_SERVER_URL: 'http://localhost:9090/api/v1/write'}},
			description: expect.stringContaining('K6_PROMETHEUS_RW_SERVER_URL=http://localhost:9090/api/v1/write'),
		}});
	});

	test('when the plan is shown for confirmation, then it has the script, the output and the StatsD settings on one line', async () => {
		const plan = await controllerWith().prepare('load.js', ['--vus', '10']);
		expect(plan.ok && plan.value.description).toBe('k6 run -o output-statsd --vus 10 load.js · K6_STATSD_ENABLE_TAGS=true K6_STATSD_ADDR=127.0.0.1:8125');
	});
});

describe('Given secrets in kmon\'s environment and in k6 arguments', () => {
	test('then no run file holds them, and k6 does not see kmon\'s own credentials', async () => {
		const controller = controllerWith({KMON_PROMETHEUS_PASSWORD: 's3cr3t-password-value', KMON_PROMETHEUS_TOKEN: 's3cr3t-token-value'});
		await started(controller, ['-e', 'API_TOKEN=s3cr3t-api-token']);
		const final = await controller.settled();
		expect(final.lastLines).toContainEqual({stream: 'stdout', text: 'tags=true addr=127.0.0.1:8125 kmon-secret-visible=no'});
		const folder = final.run!.folder;
		for (const file of readdirSync(folder)) {
			const text = readFileSync(path.join(folder, file), 'utf8');
			expect(text, file).not.toMatch(/s3cr3t/);
		}

		expect(readRunRecord(folder)).toMatchObject({ok: true, value: {
			args: expect.arrayContaining(['API_TOKEN=<redacted>']),
			env: {set: ['K6_STATSD_ENABLE_TAGS', 'K6_STATSD_ADDR'], removed: ['KMON_PROMETHEUS_PASSWORD', 'KMON_PROMETHEUS_TOKEN']},
		}});
	});
});
