import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import type {RunRecord} from '../../source/k6/run-store.js';
import {prometheusProxy} from '../support/prometheus-proxy.js';
import {kmon, prometheusUrl} from '../support/stack.js';
import {type Pane, sleep, type TmuxServer, tmuxServer} from '../support/tmux.js';

// Faults around k6 runs started from the real monitor (r r on the k6 tab), in tmux, with the fake k6
// (test/stack/fake-k6) sending to the real stack: k6 crashing, k6 ignoring the stop, kmon killed or its terminal
// closed mid-run. Each test has its own state folder and script, so its k6 is told from any other on the machine.

const k6 = path.resolve('test/stack/fake-k6/k6.js');
let server: TmuxServer;
/** Every test's fixture, so that a failed test's k6 is killed after it. */
const fixtures: Fixture[] = [];

type Fixture = {state: string; script: string; runs: string};

/** A state folder and a script of its own: 2 VUs for 10 minutes, i.e. until a test ends it. */
function newFixture(): Fixture {
	const state = mkdtempSync(path.join(tmpdir(), 'kmon-faults-'));
	const script = path.join(state, 'load.js');
	writeFileSync(script, 'export const options = {vus: 2, duration: \'10m\'};\nexport default function () {}\n');
	const fixture = {state, script, runs: path.join(state, 'kmon', 'runs')};
	fixtures.push(fixture);
	return fixture;
}

/** kmon in a 160x40 pane, k6 tab, one run started with r r and seen running; `wrap` changes how the pane runs kmon. */
async function startRun(name: string, {state, script}: Fixture, env: Record<string, string> = {}, wrap = (command: string) => command): Promise<Pane> {
	const pane = server.open(name, wrap(`node bin/kmon.js --prometheus '${prometheusUrl}' --k6-script '${script}'`), {columns: 160, rows: 40}, {
		K6_BIN: k6, XDG_STATE_HOME: state, FAKE_K6_ITERATION_SLEEP_MS: '300', ...env,
	});
	await pane.waitFor(/^kmon /m);
	pane.keys('4', 'r');
	await pane.waitFor(/press r again to run: k6 run -o output-statsd/);
	pane.keys('r');
	await pane.waitFor(/k6 running \d+s · \d+\/\d+ VUs/, 30_000);
	return pane;
}

type Process = {pid: number; pgid: number; args: string};

/** Live processes: a zombie has ended, it only waits for its new parent (here a lazy pid 1) to reap it. */
function processes(): Process[] {
	return execFileSync('ps', ['-eo', 'pid=,pgid=,stat=,args='], {encoding: 'utf8'}).split('\n').flatMap(line => {
		const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
		return match && !match[3]!.startsWith('Z') ? [{pid: Number(match[1]), pgid: Number(match[2]), args: match[4]!}] : [];
	});
}

/** The fake k6 processes running this fixture's script. */
const k6Of = ({script}: Fixture) => processes().filter(item => item.args.includes(`${k6} run`) && item.args.includes(script));

/** Nothing left of a run: no k6 with its script, nothing in the process group k6 led. */
function expectNothingLeft(fixture: Fixture, k6Pid: number) {
	expect(k6Of(fixture)).toEqual([]);
	expect(processes().filter(item => item.pgid === k6Pid)).toEqual([]);
}

function onlyRun({runs}: Fixture): {id: string; folder: string; record: RunRecord} {
	const folders = readdirSync(runs);
	expect(folders).toHaveLength(1);
	const folder = path.join(runs, folders[0]!);
	return {id: folders[0]!, folder, record: JSON.parse(readFileSync(path.join(folder, 'run.json'), 'utf8')) as RunRecord};
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		}

		await sleep(200);
	}
}

/**
 * A run left going without kmon: `kmon runs` lists it as detached and `--json` gives a pid that is its live k6;
 * `kmon runs stop ID` ends it, with nothing left.
 */
async function expectDetachedThenStop(fixture: Fixture, id: string) {
	// kmon itself recorded the detach on its way out (not just a reader inferring it from a dead owner).
	expect(onlyRun(fixture).record.state).toBe('detached');
	const env = {XDG_STATE_HOME: fixture.state};
	const list = await kmon(['runs'], env);
	expect(list.code, list.stderr).toBe(0);
	expect(list.stdout).toMatch(new RegExp(`${id}.*detached`));
	const listed = JSON.parse((await kmon(['runs', '--json'], env)).stdout) as Array<RunRecord & {note: string | null}>;
	expect(listed.map(run => [run.id, run.state, run.endedAt])).toEqual([[id, 'detached', null]]);
	const pid = listed[0]!.pid!;
	expect(k6Of(fixture).map(item => item.pid)).toEqual([pid]);

	const stopped = await kmon(['runs', 'stop', id, '--stop-grace', '10s'], env);
	expect(stopped.code, stopped.stderr).toBe(0);
	expect(stopped.stderr).toContain(`run ${id} stopped`);
	expectNothingLeft(fixture, pid);
	const after = JSON.parse((await kmon(['runs', '--json'], env)).stdout) as RunRecord[];
	expect(after[0]!.endedAt).not.toBeNull();
}

beforeAll(async () => {
	const ready = await fetch(`${prometheusUrl}/-/ready`).then(response => response.ok, () => false);
	if (!ready) {
		throw new Error(`no Prometheus at ${prometheusUrl}: start the test stack first (npm run stack:up)`);
	}

	// The binary under test is dist/: build it from the current sources.
	execFileSync('npx', ['tsc', '-p', '.']);
	server = tmuxServer(`kmon-e2e-faults-runs-${process.pid}`);
}, 120_000);

afterEach(() => {
	server.killSessions('run');
	// A test that failed half-way leaves its k6 running: end it (its whole process group) by its pid.
	for (const fixture of fixtures.splice(0)) {
		// A shell that outlived its terminal's hangup waits for nobody: end it (pkill finding none is fine).
		spawnSync('pkill', ['-f', fixture.state]);
		for (const {pid} of k6Of(fixture)) {
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {
				// Gone meanwhile.
			}
		}
	}
});

afterAll(() => {
	server?.stop();
});

describe('Given a k6 run started from the monitor', () => {
	test('when k6 crashes mid-run, then the screen says the run failed with exit 107 and its meaning, the folder keeps both logs, and no k6 is left', async () => {
		const fixture = newFixture();
		const pane = await startRun('run-crash', fixture, {FAKE_K6_CRASH_AFTER: '3'});
		const screen = await pane.waitFor(/k6 failed after \d+s · exit 107: script exception/, 40_000);
		expect(screen).not.toContain('k6 running');
		const {folder, record} = onlyRun(fixture);
		expect(record).toMatchObject({state: 'failed', exitCode: 107, signal: null, exitMeaning: 'script exception', stoppedBy: null});
		expect(record.endedAt).not.toBeNull();
		// k6's own words are kept: its progress on stdout, the exception on stderr.
		expect(readFileSync(path.join(folder, 'stdout.log'), 'utf8')).toMatch(/running \(/);
		expect(readFileSync(path.join(folder, 'stderr.log'), 'utf8')).toContain('TypeError: Cannot read property');
		expectNothingLeft(fixture, record.pid!);

		// Nothing runs any more: q quits without asking, and the run's summary is not lost on the way out.
		pane.keys('q');
		await pane.waitFor('KMON_EXIT=0', 40_000);
		expect(onlyRun(fixture).record.summary.state).toBe('saved');
	}, 120_000);

	test('when k6 ignores the stop, then x shows it stopping, and after the grace period it is hard-stopped (SIGKILL) with nothing left', async () => {
		const fixture = newFixture();
		const pane = await startRun('run-hang', fixture, {FAKE_K6_IGNORE_SIGINT: '1'}, command => `${command} --stop-grace 3s`);
		const {record: running} = onlyRun(fixture);
		const pid = running.pid!;
		const stoppedAt = Date.now();
		pane.keys('x');
		await pane.waitFor(/k6 stopping \(hard stop in [0-3]s\)/, 10_000);
		// k6 is still there while the grace period runs.
		expect(k6Of(fixture).map(item => item.pid)).toEqual([pid]);
		const screen = await pane.waitFor(/k6 failed after \d+s · SIGKILL: hard stop: k6 had not stopped when asked/, 30_000);
		expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(2900);
		expect(screen).not.toContain('k6 stopping');
		expectNothingLeft(fixture, pid);
		const {record} = onlyRun(fixture);
		expect(record).toMatchObject({state: 'failed', exitCode: null, signal: 'SIGKILL', stoppedBy: 'hard-stop', exitMeaning: expect.stringMatching(/^hard stop: k6 had not stopped when asked/)});

		pane.keys('q');
		await pane.waitFor('KMON_EXIT=0', 40_000);
	}, 120_000);
});

describe('Given kmon ended from outside during a k6 run', () => {
	test.each([
		['TERM', 143],
		['HUP', 129],
	])('when kmon gets SIG%s, then it exits %d with the terminal restored, and the run goes on detached until kmon runs stop ends it', async (signal, code) => {
		const fixture = newFixture();
		const pane = await startRun(`run-sig${signal}`, fixture);
		process.kill(pane.childPid(), `SIG${signal}` as NodeJS.Signals);
		await pane.waitFor(`KMON_EXIT=${code}`, 30_000);
		expect(pane.flag('#{alternate_on}')).toBe('0');
		expect(pane.flag('#{cursor_flag}')).toBe('1');
		const {id} = onlyRun(fixture);
		// kmon says where the run went and how to stop it.
		expect(pane.joined()).toMatch(new RegExp(`left running \\(pid \\d+\\).*kmon runs stop ${id}`));
		await expectDetachedThenStop(fixture, id);
	}, 120_000);

	// Two ways a terminal goes: its shell dies of the hangup and the kernel sends kmon SIGHUP (a closed window, a
	// dropped SSH session), or the shell survives it and kmon only finds its writes failing. kmon's exit status is
	// written to a file: the pane, and whatever would print it, are gone.
	test.each([
		['kmon gets SIGHUP', (exitFile: string, command: string) => `node -e '${[
			'process.on("SIGHUP", () => {});',
			'const child = require("node:child_process").spawn(process.argv[1], process.argv.slice(2), {stdio: "inherit"});',
			`child.on("exit", (code, signal) => require("node:fs").writeFileSync("${exitFile}", String(code ?? signal)));`,
		].join(' ')}' ${command.replace(/^node /, `${process.execPath} `)}`],
		['its shell outlives the hangup', (exitFile: string, command: string) => `trap : HUP; ${command}; echo $? > '${exitFile}'`],
	])('when its terminal closes (tmux kill-session) and %s, then kmon exits 129 by itself, and the run goes on detached until kmon runs stop ends it', async (_, wrap) => {
		const fixture = newFixture();
		const exitFile = path.join(fixture.state, 'kmon-exit');
		const pane = await startRun('run-close', fixture, {}, command => wrap(exitFile, command));
		server.tmux('kill-session', '-t', pane.name);
		const code = await until('kmon to exit after its terminal closed', () => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '' ? readFileSync(exitFile, 'utf8').trim() : undefined);
		// Not SIGABRT: Node 20 aborts at exit when it cannot reset a terminal that is gone, unless kmon prevents it.
		expect(code).toBe('129');
		const {id} = onlyRun(fixture);
		await expectDetachedThenStop(fixture, id);
	}, 120_000);

	test('when Ctrl-C is pressed, then kmon asks first like q; Ctrl-C again quits (exit 0) and leaves the run going, stoppable with kmon runs stop', async () => {
		const fixture = newFixture();
		const pane = await startRun('run-ctrlc', fixture);
		pane.keys('C-c');
		await pane.waitFor('a k6 run is going on: q again quits and leaves it running');
		expect(k6Of(fixture)).toHaveLength(1);
		pane.keys('C-c');
		await pane.waitFor('KMON_EXIT=0', 30_000);
		const {id} = onlyRun(fixture);
		expect(pane.joined()).toContain(`kmon runs stop ${id}`);
		await expectDetachedThenStop(fixture, id);
	}, 120_000);
});

describe('Given a k6 run that ended while Prometheus hangs', () => {
	test('when q is pressed while its summary waits, then kmon says it is saving it and that Ctrl-C skips it; Ctrl-C quits (exit 0) and the run says the summary was skipped', async () => {
		const proxy = await prometheusProxy();
		try {
			const fixture = newFixture();
			// Ctrl-C at a shell prompt reaches only kmon's process group; the pane's `sh -c` shares kmon's, so it is told
			// to outlive it (a trap with a command is not inherited by kmon).
			const pane = await startRun('run-summary', fixture, {}, command => `trap : INT; ${command.replace(`'${prometheusUrl}'`, `'${proxy.url}'`)}`);
			// The summary waits for a scrape after the run's end, which a hanging Prometheus never confirms.
			proxy.hold();
			pane.keys('x');
			await pane.waitFor(/k6 (?:finished|failed) after \d+s · .+ · summarising…/, 30_000);
			pane.keys('q');
			await pane.waitFor(/kmon: saving the k6 run's summary once Prometheus has its last numbers \(at most \d+s; Ctrl-C skips it\)…/, 10_000);
			expect(onlyRun(fixture).record.summary.state).toBe('pending');

			pane.keys('C-c');
			await pane.waitFor('KMON_EXIT=0', 10_000);
			const {folder, record} = onlyRun(fixture);
			expect(record.summary.state).toBe('skipped');
			expect(existsSync(path.join(folder, 'summary.json'))).toBe(false);
			expectNothingLeft(fixture, record.pid!);
		} finally {
			await proxy.stop();
		}
	}, 120_000);
});
