import {execFile, spawn} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {existsSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {beforeAll, describe, expect, test} from 'vitest';
import type {RunRecord} from '../../source/k6/run-store.js';
import type {RunSummary} from '../../source/k6/summarize-run.js';
import {requirePart} from '../support/components.js';
import {eventually, kmon, prometheusUrl, promql} from '../support/stack.js';

// `kmon run` and `kmon runs` with the fake k6 (test/stack/fake-k6) through the real statsd_exporter and
// Prometheus of the test stack (npm run stack:up). Every run is tagged with its own testid, so other traffic on
// the shared stack cannot be mistaken for it.

const run = promisify(execFile);
const fakeK6 = path.resolve('test/stack/fake-k6/k6.js');
const script = path.resolve('stack/k6/example.js');
const stateHome = mkdtempSync(path.join(tmpdir(), 'kmon-e2e-state-'));
const runsRoot = path.join(stateHome, 'kmon', 'runs');
/** kmon's Prometheus password: must never reach a run file (the test Prometheus ignores basic auth). */
const secret = `e2e-secret-${randomUUID()}`;
const env = {
	K6_BIN: fakeK6,
	XDG_STATE_HOME: stateHome,
	KMON_PROMETHEUS_URL: prometheusUrl,
	KMON_PROMETHEUS_USER: 'kmon-e2e',
	KMON_PROMETHEUS_PASSWORD: secret,
};

type Finished = {code: number | null; signal: string | null; stdout: string; stderr: string; ms: number};

/** Starts `kmon run` and lets the test act on it (signals) while it runs. */
function startKmon(args: string[], extraEnv: Record<string, string> = {}) {
	const started = Date.now();
	const child = spawn('node', ['bin/kmon.js', 'run', ...args], {env: {...process.env, ...env, ...extraEnv}, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
	});
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const finished = new Promise<Finished>(resolve => {
		child.on('exit', (code, signal) => {
			// Let the pipes drain.
			setTimeout(() => {
				resolve({code, signal, stdout, stderr, ms: Date.now() - started});
			}, 50);
		});
	});
	return {
		child,
		finished,
		output: () => stdout,
		errors: () => stderr,
	};
}

async function waitFor(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 50);
		});
	}
}

/** Processes whose command line carries this testid: the fake k6 and anything it started. */
async function processesOf(testid: string): Promise<string[]> {
	const {stdout} = await run('ps', ['-eo', 'pid,args']);
	return stdout.split('\n').filter(line => line.includes(`testid=${testid}`));
}

function runIdOf(stderr: string): string {
	const match = /kmon: run (\S+) · k6 pid/.exec(stderr);
	if (!match) {
		throw new Error(`no run id in:\n${stderr}`);
	}

	return match[1]!;
}

function recordOf(id: string): RunRecord {
	return JSON.parse(readFileSync(path.join(runsRoot, id, 'run.json'), 'utf8')) as RunRecord;
}

function expectNoSecrets(id: string): void {
	const folder = path.join(runsRoot, id);
	for (const file of readdirSync(folder)) {
		expect(readFileSync(path.join(folder, file), 'utf8'), `${id}/${file}`).not.toContain(secret);
	}
}

beforeAll(async () => {
	// The binary under test is dist/ (bin/kmon.js loads it): build first with npx tsc -p . (as npm test does).
	if (!existsSync('dist/k6/run-controller.js')) {
		throw new Error('dist/ has no k6 runner: build with npx tsc -p . first');
	}

	const ready = await fetch(`${prometheusUrl}/-/ready`).catch(() => undefined);
	if (!ready?.ok) {
		throw new Error(`Prometheus at ${prometheusUrl} is not ready: run npm run stack:up`);
	}
}, 30_000);

describe('Given the fake k6 built with output-statsd and the real stack', () => {
	const testid = randomUUID();
	let result: Finished;
	let id: string;

	beforeAll(async () => {
		// The user's environment says no tags: kmon must turn them on anyway (the failure it exists to prevent).
		const started = startKmon([script, '--', '--vus', '3', '--duration', '8s', '--tag', `testid=${testid}`], {K6_STATSD_ENABLE_TAGS: 'false'});
		result = await started.finished;
		id = runIdOf(result.stderr);
	}, 90_000);

	test('when kmon run runs a script, then it streams k6\'s progress and returns k6\'s exit code', () => {
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).toMatch(/running \(\d+\.\ds\), 3\/3 VUs, \d+ complete and 0 interrupted iterations/);
		expect(result.stdout).toContain('http_reqs');
		expect(result.stderr).toContain('K6_STATSD_ENABLE_TAGS=true K6_STATSD_ADDR=127.0.0.1:8125');
		expect(result.stderr).toMatch(/k6 exited 0: finished/);
	});

	test('then k6\'s requests are in Prometheus per tag, with name, method and status labels', async () => {
		const rows = await eventually('tagged k6 series', async () => {
			const found = await promql(`k6_http_reqs{testid="${testid}"}`);
			return found.length > 0 ? found : undefined;
		});
		for (const row of rows) {
			expect(Object.keys(row.metric)).toEqual(expect.arrayContaining(['name', 'method', 'status']));
		}

		expect(new Set(rows.map(row => row.metric['name'])).size).toBeGreaterThan(1);
	});

	test('then every request k6 counted reached Prometheus (summed final counters equal k6\'s own count)', async () => {
		const counted = Number(/http_reqs\.+: (\d+)/.exec(result.stdout)?.[1]);
		expect(counted).toBeGreaterThan(0);
		const summary = JSON.parse(readFileSync(path.join(runsRoot, id, 'summary.json'), 'utf8')) as RunSummary;
		const [total] = await promql(`sum(max_over_time(k6_http_reqs{testid="${testid}"}[${summary.window.rangeSeconds}s]))`, summary.takenAt);
		expect(total?.value).toBe(counted);
		// The summary's window holds the run's requests (and any other k6 traffic on the shared stack), each one:
		// the run's series are born inside the window, and their first scraped value counts too.
		expect(summary.peaks.k6?.requests).toBeGreaterThanOrEqual(counted);
		// So do its rows per endpoint (every endpoint of the run is a row: far fewer than the row limit).
		const perEndpoint = (summary.peaks.k6?.byTag ?? []).reduce((sum, row) => sum + (row.requests ?? 0), 0);
		expect(perEndpoint).toBeGreaterThanOrEqual(counted);
	});

	test('then the run folder has both logs, run.json and a --json-schema summary spanning the run, and no secret', () => {
		const folder = path.join(runsRoot, id);
		expect(readdirSync(folder).sort()).toEqual(['run.json', 'stderr.log', 'stdout.log', 'summary.json']);
		expect(readFileSync(path.join(folder, 'stdout.log'), 'utf8')).toBe(result.stdout);
		const record = recordOf(id);
		expect(record).toMatchObject({
			id, script, state: 'finished', exitCode: 0, signal: null, stoppedBy: null,
			k6: {path: fakeK6, version: 'v1.7.1', output: 'statsd-extension'},
			env: {set: ['K6_STATSD_ENABLE_TAGS', 'K6_STATSD_ADDR'], removed: ['KMON_PROMETHEUS_PASSWORD', 'KMON_PROMETHEUS_USER']},
			summary: {state: 'saved', message: null},
		});
		const summary = JSON.parse(readFileSync(path.join(folder, 'summary.json'), 'utf8')) as RunSummary;
		expect(summary.schema).toBe(1);
		expect(Date.parse(summary.window.start)).toBeLessThanOrEqual(Date.parse(record.startedAt));
		expect(Date.parse(summary.window.end)).toBeGreaterThanOrEqual(Date.parse(record.endedAt!));
		expect(summary.runs).toEqual([expect.objectContaining({id, state: 'finished', exitCode: 0})]);
		expect(summary.k6).toMatchObject({state: 'ok', data: {tagKey: 'name'}});
		expect(summary.peaks.k6?.byTag.length).toBeGreaterThan(1);
		expect(summary.peaks.k6?.peakRequestsPerSecond).toBeGreaterThan(0);
		expect(summary.peaks.containers.length).toBeGreaterThan(0);
		expectNoSecrets(id);
	});

	test('then the summary holds the peak lag of the consumer groups', () => {
		requirePart('kafka-exporter');
		const summary = JSON.parse(readFileSync(path.join(runsRoot, id, 'summary.json'), 'utf8')) as RunSummary;
		expect(summary.peaks.groups.length).toBeGreaterThan(0);
	});

	test('then kmon runs lists it and kmon runs show prints it with its summary', async () => {
		const list = await kmon(['runs'], env);
		expect(list.code).toBe(0);
		expect(list.stdout).toMatch(new RegExp(`${id}\\s+example\\.js\\s+\\S+ \\S+\\s+\\d+s\\s+finished\\s+0`));
		const show = await kmon(['runs', 'show', id], env);
		expect(show.code).toBe(0);
		expect(show.stdout).toContain(`run ${id}`);
		expect(show.stdout).toContain('exit 0: finished');
		expect(show.stdout).toMatch(/k6: \S+ requests · peak/);
		expect(show.stdout).toContain('GET /items');
	});

	test('when an unknown run is asked for, then kmon says so and exits 2', async () => {
		const show = await kmon(['runs', 'show', 'no-such-run'], env);
		expect(show.code).toBe(2);
		expect(show.stderr).toContain('no run "no-such-run"');
	});
});

describe('Given k6 started without kmon and without K6_STATSD_ENABLE_TAGS', () => {
	test('then kmon --once --json raises the untagged diagnostic, naming the variable to set', async () => {
		// Longer than two scrape intervals: the untagged counter must grow between scrapes for its rate to show,
		// also on a fresh statsd_exporter where the series is born during this run.
		await run('node', [fakeK6, 'run', '-o', 'output-statsd', '--vus', '2', '--duration', '12s', script], {
			env: {...process.env, K6_STATSD_ADDR: '127.0.0.1:8125', K6_STATSD_ENABLE_TAGS: 'false'},
		});
		const diagnostic = await eventually('the k6-untagged diagnostic', async () => {
			const once = await kmon(['--once', '--json'], env);
			const snapshot = JSON.parse(once.stdout) as {diagnostics: Array<{id: string; fix: string}>};
			return snapshot.diagnostics.find(item => item.id === 'k6-untagged');
		}, 30_000);
		expect(diagnostic.fix).toContain('K6_STATSD_ENABLE_TAGS=true');
	});
});

describe('Given a long run', () => {
	test('when Ctrl-C is pressed, then k6 stops gracefully, kmon returns 105 and no k6 process is left', async () => {
		const testid = randomUUID();
		const kmonRun = startKmon([script, '--no-summary', '--', '--vus', '2', '--duration', '60s', '--tag', `testid=${testid}`]);
		await waitFor('progress', () => kmonRun.output().includes('running ('));
		const asked = Date.now();
		kmonRun.child.kill('SIGINT');
		const result = await kmonRun.finished;
		const stopMs = Date.now() - asked;
		expect(result.code, result.stderr).toBe(105);
		expect(stopMs).toBeLessThan(3000);
		expect(result.stderr).toContain('stopping k6 gracefully (SIGINT)');
		expect(result.stderr).toContain('k6 exited 105: aborted from outside');
		expect(await processesOf(testid)).toEqual([]);
		expect(recordOf(runIdOf(result.stderr))).toMatchObject({state: 'finished', exitCode: 105, stoppedBy: 'user'});
	});

	test('when k6 ignores SIGINT, then it is killed with its process group after the grace period (137)', async () => {
		const testid = randomUUID();
		const kmonRun = startKmon([script, '--no-summary', '--stop-grace', '2s', '--', '--vus', '2', '--duration', '60s', '--tag', `testid=${testid}`], {FAKE_K6_IGNORE_SIGINT: '1'});
		await waitFor('progress', () => kmonRun.output().includes('running ('));
		const asked = Date.now();
		kmonRun.child.kill('SIGINT');
		const result = await kmonRun.finished;
		const stopMs = Date.now() - asked;
		expect(result.code, result.stderr).toBe(137);
		expect(stopMs).toBeGreaterThanOrEqual(2000);
		expect(stopMs).toBeLessThan(4000);
		expect(result.stderr).toContain('k6 was killed (SIGKILL): hard stop');
		expect(await processesOf(testid)).toEqual([]);
		expect(recordOf(runIdOf(result.stderr))).toMatchObject({state: 'failed', exitCode: null, signal: 'SIGKILL', stoppedBy: 'hard-stop'});
	});

	test('when Ctrl-C is pressed twice, then the second is the hard stop, without waiting for the grace period', async () => {
		const testid = randomUUID();
		const kmonRun = startKmon([script, '--no-summary', '--', '--vus', '1', '--duration', '60s', '--tag', `testid=${testid}`], {FAKE_K6_IGNORE_SIGINT: '1'});
		await waitFor('progress', () => kmonRun.output().includes('running ('));
		kmonRun.child.kill('SIGINT');
		await waitFor('the graceful stop', () => kmonRun.errors().includes('stopping k6 gracefully'));
		const asked = Date.now();
		kmonRun.child.kill('SIGINT');
		const result = await kmonRun.finished;
		expect(result.code).toBe(137);
		expect(Date.now() - asked).toBeLessThan(2000);
		expect(await processesOf(testid)).toEqual([]);
	});
});

describe('Given kmon killed while its run goes on', () => {
	test('then the run is listed as detached with its live pid, and kmon runs stop ends it, leaving no process', async () => {
		const testid = randomUUID();
		const kmonRun = startKmon([script, '--', '--vus', '1', '--duration', '60s', '--tag', `testid=${testid}`]);
		await waitFor('progress', () => kmonRun.output().includes('running ('));
		const id = runIdOf(kmonRun.errors());
		// kmon dies without a chance to clean up; k6 lives on in its own process group, writing to its logs.
		kmonRun.child.kill('SIGKILL');
		await kmonRun.finished;
		expect(await processesOf(testid)).toHaveLength(1);

		const list = await kmon(['runs', '--json'], env);
		const listed = (JSON.parse(list.stdout) as Array<{id: string; state: string; endedAt: string | null; note: string}>).find(item => item.id === id);
		expect(listed).toMatchObject({state: 'detached', endedAt: null, note: expect.stringContaining('is gone; k6 still runs')});

		const stop = await kmon(['runs', 'stop', id.slice(0, -3)], env);
		expect(stop.code, stop.stderr).toBe(0);
		expect(stop.stderr).toContain(`run ${id} stopped`);
		expect(await processesOf(testid)).toEqual([]);
		expect(recordOf(id)).toMatchObject({state: 'detached', endedAt: expect.any(String), stoppedBy: 'user'});
		const show = await kmon(['runs', 'show', id], env);
		expect(show.stdout).toContain('stopped on request');
	});
});

describe('Given k6 failing in its own ways', () => {
	test('when k6 crashes mid-run, then kmon reports the exit code with its meaning and keeps the logs', async () => {
		const testid = randomUUID();
		const result = await startKmon([script, '--', '--vus', '2', '--duration', '60s', '--tag', `testid=${testid}`], {FAKE_K6_CRASH_AFTER: '2'}).finished;
		expect(result.code).toBe(107);
		expect(result.stderr).toContain('k6 exited 107: script exception');
		const id = runIdOf(result.stderr);
		expect(recordOf(id)).toMatchObject({state: 'failed', exitCode: 107, exitMeaning: 'script exception', summary: {state: 'saved'}});
		expect(readFileSync(path.join(runsRoot, id, 'stderr.log'), 'utf8')).toContain('TypeError');
		const show = await kmon(['runs', 'show', id], env);
		expect(show.stdout).toContain('exit 107: script exception');
		expect(show.stdout).toContain('last lines of stderr');
		expect(await processesOf(testid)).toEqual([]);
		expectNoSecrets(id);
	});

	test.each([
		{code: 99, meaning: 'thresholds failed'},
		{code: 108, meaning: 'aborted by the script (test.abort())'},
	])('when k6 exits $code, then kmon exits $code and says "$meaning"', async ({code, meaning}) => {
		const result = await startKmon([script, '--no-summary', '--', '--vus', '1', '--duration', '2s', '--tag', `testid=${randomUUID()}`], {FAKE_K6_EXIT_CODE: String(code)}).finished;
		expect(result.code).toBe(code);
		expect(result.stderr).toContain(`k6 exited ${code}: ${meaning}`);
	});
});

describe('Given other kinds of k6', () => {
	test('when k6 is stock (no StatsD), then kmon explains how to build it and offers remote write, exit 2', async () => {
		const result = await startKmon([script], {FAKE_K6_FLAVOR: 'stock'}).finished;
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('removed in v0.55.0');
		expect(result.stderr).toContain('xk6 build --with github.com/LeonAdato/xk6-output-statsd');
		expect(result.stderr).toContain('--output prometheus-rw');
	});

	test('when stock k6 is run with --output prometheus-rw, then its series reach Prometheus by remote write', async () => {
		const testid = randomUUID();
		const result = await startKmon([script, '--output', 'prometheus-rw', '--no-summary', '--', '--vus', '2', '--duration', '4s', '--tag', `testid=${testid}`], {FAKE_K6_FLAVOR: 'stock'}).finished;
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toContain(`K6_PROMETHEUS_RW_SERVER_URL=${prometheusUrl}/api/v1/write`);
		const rows = await eventually('remote-write series', async () => {
			const found = await promql(`k6_http_reqs_total{testid="${testid}"}`);
			return found.length > 0 ? found : undefined;
		}, 30_000);
		expect(Object.keys(rows[0]!.metric)).toEqual(expect.arrayContaining(['name', 'method', 'status']));
		expect(recordOf(runIdOf(result.stderr))).toMatchObject({k6: {output: 'prometheus-rw'}, statsdAddr: null});
	});

	test('when k6 is older than v0.55, then the built-in statsd output is used, tags on', async () => {
		const testid = randomUUID();
		const result = await startKmon([script, '--no-summary', '--', '--vus', '1', '--duration', '3s', '--tag', `testid=${testid}`], {FAKE_K6_FLAVOR: 'legacy'}).finished;
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toContain('k6 run -o statsd');
		await eventually('legacy statsd series', async () => {
			const found = await promql(`k6_http_reqs{testid="${testid}", name!=""}`);
			return found.length > 0 ? found : undefined;
		}, 30_000);
	});

	test('when there is no k6 at all, then the message names --k6, K6_BIN and PATH, exit 2', async () => {
		const result = await startKmon([script], {K6_BIN: '', PATH: path.dirname(process.execPath)}).finished;
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/no --k6 flag, no K6_BIN, and no k6 on PATH/);
	});

	test('when the script does not exist, then nothing starts, exit 2', async () => {
		const result = await startKmon(['no/such/script.js']).finished;
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('no script at');
	});
});
