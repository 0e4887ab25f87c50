// Scale benchmark (issue 7): what kmon costs against small, medium and large systems.
//
// Per size it starts the synthetic exporter (bench/synthetic/exporter.ts) and a real Prometheus (the Debian
// binary test/stack/install.sh installs) scraping it every 5 s, all sizes at once so they warm up together,
// waits until Prometheus holds a full kmon window of data (5 minutes by default), then measures, one size
// at a time (large first; each size's processes stop once it is measured):
//   - queries and bytes per poll (PrometheusClient.traffic) for --once and for each UI tab's request, and
//     the queries that return the most;
//   - `kmon --once --json` wall time, median of N runs of the real binary;
//   - the monitor's cost over 60 s at a 2 s interval: CPU (% of one core) and RSS from /proc, of the real
//     full-screen UI (`node bin/kmon.js` in a 120x40 tmux pane) when it runs, else of the real poller
//     without a screen (bench/synthetic/headless-poller.mjs) — the results say which; for the UI also
//     Ink's render time per frame, the longest main-thread block and the bytes written per update.
// Results: bench/results/scale.json, and the table between the scale markers in bench/README.md.
//
// Run: npm run bench (builds, then runs every benchmark), or `npx tsc -p tsconfig.json && npx tsx bench/scale.ts`.
// Environment: BENCH_SIZES=small,medium,large  BENCH_WARMUP=300 (seconds of data before measuring)
//   BENCH_UI_SECONDS=60  BENCH_SETTLE=30 (seconds from kmon's start to measuring)  BENCH_FRAME_SECONDS=24
//   BENCH_RUNS=5 (--once runs per size)  BENCH_PORT_BASE=19400  BENCH_KEEP=1 (keep the temporary folder with
//   Prometheus data and logs).
// Ports (loopback): exporter of size i (0 small, 1 medium, 2 large) at BENCH_PORT_BASE + 10·i … + 5,
//   its Prometheus at BENCH_PORT_BASE + 90 + i (19490, 19491, 19492 by default).
import {type ChildProcess, execFileSync, spawn} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {setTimeout as sleep} from 'node:timers/promises';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {PrometheusClient} from '../source/prometheus/client.js';
import {allDomains, type CollectOptions, collectSnapshot, type PollMemo} from '../source/snapshot/collect.js';
import {collectOptionsFor} from '../source/ui/collect-request.js';
import type {TabId} from '../source/ui/feed.js';
import {recordingQuerier} from '../test/support/recorded-querier.js';
import {type Ports, type Size, type SizeName, sizes} from './synthetic/exporter.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const sizeNames = (env['BENCH_SIZES'] ?? 'small,medium,large').split(',').map(name => name.trim()) as SizeName[];
const warmupSeconds = Number(env['BENCH_WARMUP'] ?? 300);
const uiSeconds = Number(env['BENCH_UI_SECONDS'] ?? 60);
const settleSeconds = Number(env['BENCH_SETTLE'] ?? 30);
const frameSeconds = Number(env['BENCH_FRAME_SECONDS'] ?? 24);
const onceRuns = Number(env['BENCH_RUNS'] ?? 5);
const portBase = Number(env['BENCH_PORT_BASE'] ?? 19_400);
const rangeMs = 300_000;
/** The UI's sparkline cells at 120 columns (source/ui/model/screen-layout.ts: sparkWidthFor(120)). */
const uiPoints = 16;
/** source/once.ts: points and rows of --once. */
const oncePoints = 60;
const rowLimit = 100;
const uiIntervalMs = 2000;
const terminal = {columns: 120, rows: 40};

// --- process bookkeeping: everything started is stopped, on success, failure or a signal ------------------

type Tracked = {name: string; child: ChildProcess; pids: () => number[]};
const tracked: Tracked[] = [];
const tmuxSocket = `kmon-scale-${process.pid}`;
let tmuxUsed = false;

function track(name: string, child: ChildProcess, extraPids: () => number[] = () => []): Tracked {
	const entry = {name, child, pids: () => [child.pid, ...extraPids()].filter((pid): pid is number => typeof pid === 'number')};
	tracked.push(entry);
	return entry;
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function stop(entry: Tracked): Promise<void> {
	const index = tracked.indexOf(entry);
	if (index === -1) {
		return;
	}

	tracked.splice(index, 1);
	const pids = entry.pids();
	// Our children end when their stdin ends (the tether and the exporter); then a TERM, then a KILL.
	entry.child.stdin?.end();
	for (const [signal, waitMs] of [[null, 3000], ['SIGTERM', 5000], ['SIGKILL', 1000]] as const) {
		if (signal) {
			for (const pid of pids) {
				try {
					process.kill(pid, signal);
				} catch {}
			}
		}

		const deadline = Date.now() + waitMs;
		while (pids.some(pid => alive(pid)) && Date.now() < deadline) {
			await sleep(100);
		}

		if (!pids.some(pid => alive(pid))) {
			return;
		}
	}
}

function killTmux(): void {
	if (tmuxUsed) {
		try {
			execFileSync('tmux', ['-L', tmuxSocket, 'kill-server'], {stdio: 'ignore'});
		} catch {}

		// tmux leaves its socket file behind.
		rmSync(path.join(env['TMUX_TMPDIR'] ?? '/tmp', `tmux-${process.getuid?.() ?? 0}`, tmuxSocket), {force: true});
	}
}

async function stopAll(): Promise<void> {
	killTmux();
	await Promise.all([...tracked].map(async entry => stop(entry)));
}

function installExitHandlers(): void {
	// Last resort if the benchmark is ended while measuring: nothing it started outlives it.
	process.on('exit', () => {
		killTmux();
		for (const entry of tracked) {
			for (const pid of entry.pids()) {
				try {
					process.kill(pid, 'SIGKILL');
				} catch {}
			}
		}
	});
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.on(signal, () => {
			process.stderr.write(`scale: ${signal}, stopping everything started\n`);
			void stopAll().finally(() => process.exit(130));
		});
	}
}

/**
 * Runs `command` under a small shell that stops it when our stdin to the shell ends, so the command dies
 * with the benchmark even if the benchmark is killed outright. The shell prints the command's pid first.
 */
async function tethered(name: string, command: string, args: string[], log: string): Promise<{entry: Tracked; pid: number}> {
	const script = '"$@" </dev/null >>"$TETHER_LOG" 2>&1 & child=$!; echo "pid $child"; cat >/dev/null; kill $child 2>/dev/null; wait $child';
	const child = spawn('sh', ['-c', script, 'tether', command, ...args], {stdio: ['pipe', 'pipe', 'inherit'], env: {...env, TETHER_LOG: log}});
	let pid = 0;
	const entry = track(name, child, () => (pid ? [pid] : []));
	pid = await new Promise<number>((resolve, reject) => {
		let text = '';
		child.stdout.on('data', (chunk: Buffer) => {
			text += chunk.toString();
			const match = /pid (\d+)/.exec(text);
			if (match) {
				resolve(Number(match[1]));
			}
		});
		child.once('exit', code => {
			reject(new Error(`${name}: exited (${code}) before starting`));
		});
	});
	return {entry, pid};
}

// --- /proc sampling -------------------------------------------------------------------------------------

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

function cpuTicks(pid: number): number | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the command name.
		return Number(fields[11]) + Number(fields[12]);
	} catch {
		return null;
	}
}

function rssMiB(pid: number): number | null {
	try {
		const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) / 1024 : null;
	} catch {
		return null;
	}
}

function loadAverage(): number[] {
	return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}

/** CPU % of one core used by `pids` over `seconds`. */
async function cpuOver(pids: number[], seconds: number): Promise<number> {
	const before = pids.map(pid => cpuTicks(pid) ?? 0);
	const started = performance.now();
	await sleep(seconds * 1000);
	const after = pids.map(pid => cpuTicks(pid) ?? 0);
	const elapsed = (performance.now() - started) / 1000;
	return round(100 * after.reduce((sum, value, index) => sum + value - before[index]!, 0) / ticksPerSecond / elapsed, 1);
}

// --- one size's system: exporter + Prometheus -------------------------------------------------------------

type System = {
	size: Size;
	ports: Ports;
	series: Record<string, number>;
	url: string;
	exporter: Tracked;
	prometheus: Tracked;
	prometheusPid: number;
	exporterPid: number;
	folder: string;
};

async function startSystem(size: Size, index: number, temporary: string): Promise<System> {
	const folder = path.join(temporary, size.name);
	mkdirSync(path.join(folder, 'data'), {recursive: true});
	const base = portBase + (10 * index);
	const prometheusPort = portBase + 90 + index;
	const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/synthetic/exporter.ts'), '--size', size.name, '--port-base', String(base), '--exit-with-stdin'], {
		cwd: root,
		stdio: ['pipe', 'pipe', 'inherit'],
	});
	const exporter = track(`exporter ${size.name}`, child);
	const ready = await new Promise<{series: Record<string, number>} & Ports>((resolve, reject) => {
		let text = '';
		child.stdout.on('data', (chunk: Buffer) => {
			text += chunk.toString();
			const line = /^ready (.*)$/m.exec(text);
			if (line) {
				resolve(JSON.parse(line[1]!) as {series: Record<string, number>} & Ports);
			}
		});
		child.once('exit', code => {
			reject(new Error(`synthetic exporter (${size.name}) exited with ${code}: is a port from ${base} taken?`));
		});
	});
	const target = (port: number) => `'127.0.0.1:${port}'`;
	const config = `# Written by bench/scale.ts for the ${size.name} size.
global:
  scrape_interval: 5s
  evaluation_interval: 5s
  scrape_timeout: 4s
scrape_configs:
  - job_name: prometheus
    static_configs: [{targets: [${target(prometheusPort)}]}]
  - job_name: cadvisor
    static_configs: [{targets: [${target(ready.cadvisor)}]}]
  - job_name: kafka-exporter
    static_configs: [{targets: [${target(ready.kafkaExporter)}]}]
  - job_name: statsd-exporter
    static_configs: [{targets: [${target(ready.statsdExporter)}]}]
  - job_name: jmx-exporter
    static_configs: [{targets: [${ready.jmx.map(port => target(port)).join(', ')}]}]
`;
	writeFileSync(path.join(folder, 'prometheus.yml'), config);
	const {entry: prometheus, pid: prometheusPid} = await tethered(`prometheus ${size.name}`, 'prometheus', [
		`--config.file=${path.join(folder, 'prometheus.yml')}`,
		`--storage.tsdb.path=${path.join(folder, 'data')}`,
		`--web.listen-address=127.0.0.1:${prometheusPort}`,
		'--storage.tsdb.retention.time=1d',
		'--log.level=warn',
	], path.join(folder, 'prometheus.log'));
	const url = `http://127.0.0.1:${prometheusPort}`;
	await waitFor(`Prometheus (${size.name}) at ${url} with every target up`, async () => {
		const body = await getJson(`${url}/api/v1/targets`) as {data?: {activeTargets: Array<{health: string}>}} | undefined;
		const targets = body?.data?.activeTargets ?? [];
		return targets.length === 4 + ready.jmx.length && targets.every(item => item.health === 'up') ? true : undefined;
	}, 60_000, path.join(folder, 'prometheus.log'));
	return {size, ports: ready, series: ready.series, url, exporter, prometheus, prometheusPid, exporterPid: child.pid!, folder};
}

async function getJson(url: string): Promise<unknown> {
	try {
		const response = await fetch(url, {signal: AbortSignal.timeout(10_000)});
		return response.ok ? await response.json() : undefined;
	} catch {
		return undefined;
	}
}

async function scalar(url: string, query: string): Promise<number | null> {
	const body = await getJson(`${url}/api/v1/query?${new URLSearchParams({query})}`) as {data?: {result: Array<{value: [number, string]}>}} | undefined;
	const value = body?.data?.result[0]?.value[1];
	return value === undefined ? null : Number(value);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, log?: string): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) {
			return value;
		}

		if (Date.now() > deadline) {
			const tail = log && existsSync(log) ? `\n${readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}` : '';
			throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${tail}`);
		}

		await sleep(1000);
	}
}

/** Seconds of data the Prometheus holds (since its head block's first sample). */
async function dataSpanSeconds(url: string): Promise<number | null> {
	const min = await scalar(url, 'prometheus_tsdb_head_min_time');
	return min === null ? null : round((Date.now() - min) / 1000, 0);
}

// --- measurements -----------------------------------------------------------------------------------------

type View = {name: string; tab: TabId | 'once'; options: CollectOptions};

function views(url: string, group: string | null): View[] {
	const ui = (tab: TabId, partitionsOf: string | null = null): CollectOptions => collectOptionsFor({tab, tagKey: 'name', rangeMs, points: uiPoints, partitionsOf, containerSort: 'cpu'}, url);
	return [
		{name: '--once (all domains, every partition)', tab: 'once', options: {url, domains: allDomains, rangeMs, points: oncePoints, tagKey: 'name', partitions: 'all', containerSort: 'cpu', limit: rowLimit}},
		{name: 'UI Overview', tab: 'overview', options: ui('overview')},
		{name: 'UI Kafka', tab: 'kafka', options: ui('kafka')},
		...(group ? [{name: 'UI Kafka, one group drilled in', tab: 'kafka' as const, options: ui('kafka', group)}] : []),
		{name: 'UI Containers', tab: 'containers', options: ui('containers')},
		{name: 'UI k6', tab: 'k6', options: ui('k6')},
	];
}

type PollCost = {
	view: string;
	/** HTTP requests of one poll on its own (as --once makes it). */
	queries: number;
	rangeQueries: number;
	bytes: number;
	pollMs: number;
	failed: string[];
	/**
	 * HTTP requests of the monitor's poll once what the last polls chose holds (its PollMemo), within one window
	 * step (histories come from the client's cache, as in three polls in four at 16 cells); null for --once.
	 */
	steadyRequests: number | null;
};

async function pollCost(url: string, view: View): Promise<PollCost> {
	const client = new PrometheusClient({url, credentials: {kind: 'none'}, headers: {}, timeoutMs: 30_000});
	// The first poll warms Prometheus's caches; the second is recorded.
	let cost: Omit<PollCost, 'steadyRequests'> | undefined;
	for (let poll = 0; poll < 2; poll++) {
		client.traffic.queries = 0;
		client.traffic.bytes = 0;
		const {querier, calls} = recordingQuerier(client);
		const started = performance.now();
		const snapshot = await collectSnapshot(querier, view.options);
		const pollMs = Math.round(performance.now() - started);
		const failed = (['kafka', 'containers', 'k6'] as const).filter(domain => snapshot[domain].state === 'failed' || snapshot[domain].state === 'absent')
			.filter(domain => view.options.domains.includes(domain));
		cost = {view: view.name, queries: client.traffic.queries, rangeQueries: calls.filter(call => call.method === 'range').length, bytes: client.traffic.bytes, pollMs, failed};
	}

	// The monitor's polls share a memo: a choice is guessed once it held over two polls, so the third is steady.
	let steadyRequests: number | null = null;
	if (view.tab !== 'once') {
		const memo: PollMemo = {choices: new Map()};
		for (let poll = 0; poll < 3; poll++) {
			client.traffic.queries = 0;
			await collectSnapshot(client, view.options, new Date(), memo);
		}

		steadyRequests = client.traffic.queries;
	}

	client.close();
	return {...cost!, steadyRequests};
}

type QueryCost = {query: string; kind: string; series: number; bytes: number};

/** Every query of one poll of `view`, sent one at a time, with the bytes and series each returns. */
async function queryCosts(url: string, view: View): Promise<QueryCost[]> {
	const client = new PrometheusClient({url, credentials: {kind: 'none'}, headers: {}, timeoutMs: 30_000, concurrency: 1});
	const {querier, calls} = recordingQuerier(client);
	await collectSnapshot(querier, view.options);
	const costs: QueryCost[] = [];
	for (const call of calls) {
		const parts = call.key ? JSON.parse(call.key) as unknown[] : [];
		const before = client.traffic.bytes;
		let series = 0;
		let query = '';
		switch (call.method) {
			case 'instant': {
				query = String(parts[0]);
				const result = await client.instant(query, new Date(String(parts[1])));
				series = result.ok ? result.value.length : 0;
				break;
			}

			case 'range': {
				query = String(parts[0]);
				const result = await client.range(query, parts[1] as Parameters<PrometheusClient['range']>[1]);
				series = result.ok ? result.value.length : 0;
				break;
			}

			case 'labelNames': {
				query = `labels of ${String(parts[0])}`;
				const result = await client.labelNames(String(parts[0]), new Date(String(parts[1])), new Date(String(parts[2])));
				series = result.ok ? result.value.length : 0;
				break;
			}

			default: {
				query = call.method;
				await (call.method === 'targets' ? client.targets() : client.version());
			}
		}

		costs.push({query, kind: call.method, series, bytes: client.traffic.bytes - before});
	}

	client.close();
	return costs.sort((a, b) => b.bytes - a.bytes);
}

async function onceWallTime(url: string, home: string): Promise<{medianMs: number; minMs: number; maxMs: number; exitCodes: number[]; jsonBytes: number; runs: number}> {
	const cleanEnv = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('KMON_')));
	const samples: number[] = [];
	const exitCodes: number[] = [];
	let jsonBytes = 0;
	for (let run = 0; run < onceRuns; run++) {
		const started = performance.now();
		const {code, bytes} = await new Promise<{code: number; bytes: number}>(resolve => {
			const child = spawn(process.execPath, ['bin/kmon.js', '--once', '--json', '--prometheus', url], {cwd: root, env: {...cleanEnv, XDG_CONFIG_HOME: home}, stdio: ['ignore', 'pipe', 'ignore']});
			let size = 0;
			child.stdout.on('data', (chunk: Buffer) => {
				size += chunk.length;
			});
			child.on('close', exit => {
				resolve({code: exit ?? -1, bytes: size});
			});
		});
		samples.push(performance.now() - started);
		exitCodes.push(code);
		jsonBytes = bytes;
	}

	const sorted = [...samples].sort((a, b) => a - b);
	return {medianMs: Math.round(sorted[Math.floor(sorted.length / 2)]!), minMs: Math.round(sorted[0]!), maxMs: Math.round(sorted.at(-1)!), exitCodes, jsonBytes, runs: onceRuns};
}

type Probe = {
	since: number;
	at: number;
	updates: Array<{at: number; bytes: number; writes: number}>;
	renderTimesMs: number[];
	eventLoopDelayMs: {p50: number; p99: number; max: number; mean: number} | null;
	heapUsedBytes: number;
};

type MonitorCost = {
	measured: 'full-screen UI (node bin/kmon.js in tmux)' | 'headless poller (UI not available)';
	uiUnavailableReason: string | null;
	seconds: number;
	cpuPercentOfOneCore: number;
	rssMiB: {mean: number; max: number; atStart: number; atEnd: number};
	heapUsedMiBAtEnd: number | null;
	/** Ink's renderTime per frame (UI only). */
	renderMs: {frames: number; p50: number; p95: number; max: number} | null;
	/** Longest stretches the main thread did not yield: an upper bound on a whole frame's cost. */
	mainThreadBlockMs: {p99: number; max: number} | null;
	terminal: {updates: number; bytesPerUpdateMedian: number; bytesPerUpdateMax: number; bytesTotal: number} | null;
	screenShowsError: boolean | null;
};

async function monitorCost(system: System, temporary: string): Promise<MonitorCost> {
	// Two runs of the real UI: one measures CPU, RSS and terminal bytes with a probe that only counts writes;
	// a shorter one adds the module hook that reads Ink's render time per frame (its thread would add ~40 MiB
	// of RSS) and the event-loop delay histogram (~1.7 % of a core), so both are kept out of the first run.
	const main = await runUi(system, temporary, 'cost', uiSeconds, false);
	if ('unavailable' in main) {
		return headlessCost(system, path.join(temporary, `probe-${system.size.name}-headless.json`), main.unavailable);
	}

	const frames = await runUi(system, temporary, 'frames', frameSeconds, true);
	return {
		measured: 'full-screen UI (node bin/kmon.js in tmux)',
		uiUnavailableReason: null,
		...main.result,
		renderMs: 'result' in frames ? frames.result.renderMs : null,
		mainThreadBlockMs: 'result' in frames ? frames.result.mainThreadBlockMs : null,
		screenShowsError: main.screenShowsError,
	};
}

/** The node flags on bin/kmon.js's `#!/usr/bin/env -S node …` line, which a `node bin/kmon.js` command leaves out. */
function shebangFlags(): string[] {
	const [shebang = ''] = readFileSync(path.join(root, 'bin/kmon.js'), 'utf8').split('\n', 1);
	return shebang.split(' ').filter(word => word.startsWith('--'));
}

type UiRun = {unavailable: string} | {result: Awaited<ReturnType<typeof sampleProcess>>; screenShowsError: boolean};

async function runUi(system: System, temporary: string, purpose: string, seconds: number, renderHook: boolean): Promise<UiRun> {
	const name = `${system.size.name}-${purpose}`;
	const probeFile = path.join(temporary, `probe-${name}.json`);
	const cleanEnv = Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith('KMON_')));
	const probe = pathToFileURL(path.join(root, 'bench/synthetic/ui-probe.mjs')).href;
	tmuxUsed = true;
	const session = `scale-${name}`;
	// A tmux server of our own (-L), never the user's, started with our environment minus KMON_* settings.
	const tmux = (...args: string[]) => execFileSync('tmux', ['-L', tmuxSocket, '-f', '/dev/null', ...args], {encoding: 'utf8', env: {...cleanEnv, TERM: 'xterm-256color'}});
	const quote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;
	// The V8 flags the executable's shebang gives kmon, since the probe needs node to be started by hand.
	const command = `exec ${[process.execPath, ...shebangFlags(), '--import', probe, 'bin/kmon.js', '--prometheus', system.url, '--interval', `${uiIntervalMs / 1000}s`].map(quote).join(' ')}`;
	// remain-on-exit keeps the pane of a kmon that exits at once, so its message can be read.
	tmux('start-server', ';', 'set-option', '-g', 'remain-on-exit', 'on', ';', 'new-session', '-d', '-s', session,
		'-x', String(terminal.columns), '-y', String(terminal.rows), '-c', root,
		'-e', `KMON_BENCH_PROBE_FILE=${probeFile}`, '-e', `KMON_BENCH_PROBE_RENDER=${renderHook ? '1' : '0'}`, '-e', `XDG_CONFIG_HOME=${temporary}`, command);
	// If the benchmark dies, this tether's stdin ends and it kills our tmux server (and kmon with it).
	const tether = spawn('sh', ['-c', 'cat >/dev/null; tmux -L "$1" kill-server 2>/dev/null', 'tether', tmuxSocket], {stdio: ['pipe', 'ignore', 'ignore']});
	const tetherEntry = track('tmux tether', tether);
	await sleep(4000);
	// The pane's shell execs kmon, so the pane's process is kmon (which renames itself, so no cmdline check).
	const [panePid, paneDead] = tmux('list-panes', '-t', session, '-F', '#{pane_pid} #{pane_dead}').trim().split(' ');
	const kmonPid = paneDead === '0' && alive(Number(panePid)) ? Number(panePid) : null;
	if (kmonPid === null) {
		const reason = tmux('capture-pane', '-p', '-t', session).trim().split('\n').filter(Boolean).slice(0, 3).join(' / ') || 'kmon exited at once';
		tmux('kill-session', '-t', session);
		await stop(tetherEntry);
		return {unavailable: reason};
	}

	try {
		// Start-up (importing Ink, the first polls, V8 compiling each code path the first times it runs) is not
		// part of the steady state measured: a monitor runs for hours. Measured in 10-s slices at the small size,
		// CPU is 2.4 % from 10 to 20 s after start and ~1.1 % from 30 s on.
		await sleep(Math.max(0, (settleSeconds * 1000) - 4000));
		const result = await sampleProcess(kmonPid, probeFile, seconds);
		const screen = tmux('capture-pane', '-p', '-t', session);
		writeFileSync(path.join(temporary, `screen-${name}.txt`), screen);
		return {result, screenShowsError: /unreachable|refused|timed out|cannot reach|error/i.test(screen)};
	} finally {
		try {
			tmux('send-keys', '-t', session, 'q');
		} catch {}

		const deadline = Date.now() + 3000;
		while (alive(kmonPid) && Date.now() < deadline) {
			await sleep(100);
		}

		if (alive(kmonPid)) {
			process.kill(kmonPid, 'SIGTERM');
		}

		try {
			tmux('kill-session', '-t', session);
		} catch {}

		await stop(tetherEntry);
	}
}

async function sampleProcess(pid: number, probeFile: string | null, seconds: number): Promise<Omit<MonitorCost, 'measured' | 'uiUnavailableReason' | 'screenShowsError'>> {
	if (probeFile) {
		process.kill(pid, 'SIGUSR2');
	}

	const startTicks = cpuTicks(pid);
	const started = performance.now();
	const rss: number[] = [];
	while (performance.now() - started < seconds * 1000) {
		const value = rssMiB(pid);
		if (value === null) {
			throw new Error(`the measured process ${pid} exited during the measurement`);
		}

		rss.push(value);
		await sleep(2000);
	}

	const endTicks = cpuTicks(pid);
	const elapsed = (performance.now() - started) / 1000;
	rss.push(rssMiB(pid) ?? rss.at(-1)!);
	const data = probeFile ? await askProbe(pid, probeFile) : null;
	const windowUpdates = data ? data.updates.filter(update => update.at <= elapsed * 1000) : [];
	const updateBytes = windowUpdates.map(update => update.bytes).sort((a, b) => a - b);
	const render = data ? [...data.renderTimesMs].sort((a, b) => a - b) : [];
	return {
		seconds: round(elapsed, 1),
		cpuPercentOfOneCore: round(100 * ((endTicks ?? 0) - (startTicks ?? 0)) / ticksPerSecond / elapsed, 2),
		rssMiB: {mean: round(rss.reduce((sum, value) => sum + value, 0) / rss.length, 1), max: round(Math.max(...rss), 1), atStart: round(rss[0]!, 1), atEnd: round(rss.at(-1)!, 1)},
		heapUsedMiBAtEnd: data ? round(data.heapUsedBytes / 2 ** 20, 1) : null,
		renderMs: render.length > 0 ? {frames: render.length, p50: round(percentile(render, 50), 2), p95: round(percentile(render, 95), 2), max: round(render.at(-1)!, 2)} : null,
		mainThreadBlockMs: data?.eventLoopDelayMs ? {p99: data.eventLoopDelayMs.p99, max: data.eventLoopDelayMs.max} : null,
		terminal: updateBytes.length > 0
			? {updates: updateBytes.length, bytesPerUpdateMedian: percentile(updateBytes, 50), bytesPerUpdateMax: updateBytes.at(-1)!, bytesTotal: updateBytes.reduce((sum, value) => sum + value, 0)}
			: null,
	};
}

/** The probe's numbers, asked for after the measured window (so answering costs nothing inside it). */
async function askProbe(pid: number, probeFile: string): Promise<Probe | null> {
	const asked = Date.now();
	process.kill(pid, 'SIGUSR2');
	const deadline = asked + 3000;
	while (Date.now() < deadline) {
		await sleep(100);
		if (existsSync(probeFile)) {
			const data = JSON.parse(readFileSync(probeFile, 'utf8')) as Probe;
			if (data.at >= asked) {
				return data;
			}
		}
	}

	return null;
}

async function headlessCost(system: System, probeFile: string, reason: string): Promise<MonitorCost> {
	const probe = pathToFileURL(path.join(root, 'bench/synthetic/ui-probe.mjs')).href;
	const child = spawn(process.execPath, ['--import', probe, path.join(root, 'bench/synthetic/headless-poller.mjs'), system.url, String(uiIntervalMs), String(uiPoints)], {
		cwd: root,
		env: {...env, KMON_BENCH_PROBE_FILE: probeFile},
		stdio: ['pipe', 'ignore', 'inherit'],
	});
	const entry = track(`headless poller ${system.size.name}`, child);
	try {
		await sleep(6000);
		const result = await sampleProcess(child.pid!, probeFile, uiSeconds);
		return {measured: 'headless poller (UI not available)', uiUnavailableReason: reason, ...result, renderMs: null, terminal: null, screenShowsError: null};
	} finally {
		await stop(entry);
	}
}

// --- targets ----------------------------------------------------------------------------------------------

type Check = {target: string; size: SizeName; measured: string; pass: boolean | null};

function checks(results: SizeResult[]): Check[] {
	const list: Check[] = [];
	const at = (name: SizeName) => results.find(result => result.size.name === name);
	const large = at('large');
	const small = at('small');
	if (large) {
		const ui = large.monitor;
		const widest = large.widestUiQueries[0];
		list.push(
			{target: 'work per UI poll bounded (no query returns more series than the table row limit, 100)', size: 'large', measured: widest ? `largest: ${widest.series} series, ${kib(widest.bytes)} from ${widest.view}: ${widest.query.slice(0, 100)}` : 'n/a', pass: widest ? widest.series <= rowLimit : null},
			{target: 'frame ≤ 50 ms', size: 'large', measured: ui.renderMs ? `Ink render p95 ${ui.renderMs.p95} ms, max ${ui.renderMs.max} ms; longest main-thread block ${ui.mainThreadBlockMs?.max} ms` : `not measured (${ui.measured})`, pass: ui.renderMs ? (ui.mainThreadBlockMs!.max <= 50 ? true : (ui.renderMs.max <= 50 ? null : false)) : null},
			{target: 'CPU ≤ 5 % of one core', size: 'large', measured: `${ui.cpuPercentOfOneCore} % (${ui.measured})`, pass: ui.cpuPercentOfOneCore <= 5},
			{target: 'RSS ≤ 200 MB', size: 'large', measured: `max ${ui.rssMiB.max} MiB (${ui.measured})`, pass: ui.rssMiB.max * 1.048_576 <= 200},
		);
	}

	if (small) {
		const ui = small.monitor;
		list.push(
			{target: 'CPU ≤ 1 % of one core', size: 'small', measured: `${ui.cpuPercentOfOneCore} % (${ui.measured})`, pass: ui.cpuPercentOfOneCore <= 1},
			{target: 'RSS ≤ 100 MB', size: 'small', measured: `max ${ui.rssMiB.max} MiB (${ui.measured})`, pass: ui.rssMiB.max * 1.048_576 <= 100},
		);
	}

	return list;
}

// --- the run ----------------------------------------------------------------------------------------------

type SizeResult = {
	size: Size;
	seriesServed: Record<string, number>;
	prometheus: {headSeries: number | null; dataSpanSeconds: number | null; samplesPerScrape: Record<string, number>};
	polls: PollCost[];
	widestUiQueries: Array<QueryCost & {view: string}>;
	heaviestOnceQueries: QueryCost[];
	once: Awaited<ReturnType<typeof onceWallTime>>;
	monitor: MonitorCost;
	backgroundLoad: number[];
};

export async function benchScale(): Promise<Record<string, unknown>> {
	for (const name of sizeNames) {
		if (!sizes[name]) {
			throw new Error(`BENCH_SIZES: unknown size "${name}" (small, medium, large)`);
		}
	}

	for (const tool of ['prometheus', 'tmux']) {
		try {
			execFileSync('sh', ['-c', `command -v ${tool}`], {stdio: 'ignore'});
		} catch {
			throw new Error(`${tool} is not installed (test/stack/install.sh installs prometheus; apt-get install tmux)`);
		}
	}

	if (!existsSync(path.join(root, 'dist/cli.js'))) {
		throw new Error('dist/ is not built: run npm run bench (or npx tsc -p tsconfig.json) first');
	}

	const temporary = mkdtempSync(path.join(os.tmpdir(), 'kmon-scale-'));
	const started = Date.now();
	const machine = {
		cpus: os.cpus().length,
		cpuModel: os.cpus()[0]?.model ?? 'unknown',
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		prometheus: execFileSync('prometheus', ['--version'], {encoding: 'utf8'}).split('\n')[0]!.trim(),
		loadAverageAtStart: loadAverage(),
	};
	const log = (text: string) => {
		process.stderr.write(`scale [${Math.round((Date.now() - started) / 1000)} s] ${text}\n`);
	};

	installExitHandlers();
	const results: SizeResult[] = [];
	let warmup: Record<string, unknown> = {};
	try {
		const ordered = (['large', 'medium', 'small'] as const).filter(name => sizeNames.includes(name));
		log(`starting ${ordered.join(', ')} (exporters + Prometheus) in ${temporary}`);
		const systems = await Promise.all(ordered.map(async name => startSystem(sizes[name], (['small', 'medium', 'large'] as const).indexOf(name), temporary)));
		log(`all targets up; collecting ${warmupSeconds} s of data (rates and the 5-minute window need it)`);
		const setupPids = systems.flatMap(system => [system.prometheusPid, system.exporterPid]);
		const load: number[][] = [];
		const setupCpu: number[] = [];
		const warmupEnd = Date.now() + (warmupSeconds * 1000);
		while (Date.now() < warmupEnd) {
			setupCpu.push(await cpuOver(setupPids, Math.min(20, Math.max(1, (warmupEnd - Date.now()) / 1000))));
			load.push(loadAverage());
		}

		warmup = {seconds: warmupSeconds, exportersAndPrometheusCpuPercent: round(setupCpu.reduce((sum, value) => sum + value, 0) / Math.max(1, setupCpu.length), 1), loadAverages: load.at(-1)};
		log(`warm-up done: exporters + Prometheus used ${String(warmup['exportersAndPrometheusCpuPercent'])} % of a core; load ${load.at(-1)?.join(' ')}`);

		for (const system of systems) {
			const {url} = system;
			log(`${system.size.name}: polls per view`);
			const span = await dataSpanSeconds(url);
			const samplesPerScrape: Record<string, number> = {};
			const scrapes = await getJson(`${url}/api/v1/query?${new URLSearchParams({query: 'sum by (job) (scrape_samples_scraped)'})}`) as {data?: {result: Array<{metric: {job: string}; value: [number, string]}>}} | undefined;
			for (const item of scrapes?.data?.result ?? []) {
				samplesPerScrape[item.metric.job] = Number(item.value[1]);
			}

			const groupBody = await getJson(`${url}/api/v1/query?${new URLSearchParams({query: 'topk(1, kafka_consumergroup_lag_sum)'})}`) as {data?: {result: Array<{metric: Record<string, string>}>}} | undefined;
			const group = groupBody?.data?.result[0]?.metric['consumergroup'] ?? null;
			const viewList = views(url, group);
			const polls: PollCost[] = [];
			for (const view of viewList) {
				polls.push(await pollCost(url, view));
			}

			log(`${system.size.name}: cost of each query`);
			const heaviestOnceQueries = (await queryCosts(url, viewList[0]!)).slice(0, 6);
			// The tabs send subsets of the Overview's queries, plus the per-partition ones of a drilled-in group.
			const widestUiQueries: Array<QueryCost & {view: string}> = [];
			for (const view of viewList.filter(item => item.name === 'UI Overview' || item.name.includes('drilled'))) {
				widestUiQueries.push(...(await queryCosts(url, view)).map(cost => ({...cost, view: view.name})));
			}

			widestUiQueries.sort((a, b) => b.series - a.series || b.bytes - a.bytes);
			const seen = new Set<string>();
			const widest = widestUiQueries.filter(cost => (seen.has(cost.query) ? false : (seen.add(cost.query), true))).slice(0, 8);

			log(`${system.size.name}: kmon --once --json × ${onceRuns}`);
			const once = await onceWallTime(url, temporary);
			log(`${system.size.name}: monitor cost over ${uiSeconds} s`);
			const backgroundLoad = loadAverage();
			const monitor = await monitorCost(system, temporary);
			results.push({
				size: system.size,
				seriesServed: system.series,
				prometheus: {headSeries: await scalar(url, 'prometheus_tsdb_head_series'), dataSpanSeconds: span, samplesPerScrape},
				polls,
				widestUiQueries: widest,
				heaviestOnceQueries,
				once,
				monitor,
				backgroundLoad,
			});
			log(`${system.size.name}: done (${monitor.measured}: CPU ${monitor.cpuPercentOfOneCore} %, RSS max ${monitor.rssMiB.max} MiB); stopping its processes`);
			await Promise.all([stop(system.prometheus), stop(system.exporter)]);
		}
	} finally {
		await stopAll();
		if (env['BENCH_KEEP']) {
			log(`kept ${temporary}`);
		} else {
			rmSync(temporary, {recursive: true, force: true});
		}
	}

	const ordered = (['small', 'medium', 'large'] as const).map(name => results.find(result => result.size.name === name)).filter((result): result is SizeResult => Boolean(result));
	return {
		at: new Date(started).toISOString(),
		durationSeconds: Math.round((Date.now() - started) / 1000),
		machine,
		settings: {warmupSeconds, uiSeconds, settleSeconds, frameSeconds, uiIntervalMs, onceRuns, rangeMs, uiPoints, oncePoints, rowLimit, terminal, scrapeIntervalSeconds: 5},
		warmup,
		sizes: ordered,
		targets: checks(ordered),
	};
}

// --- reporting --------------------------------------------------------------------------------------------

function round(value: number, digits: number): number {
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function kib(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

export function markdown(result: Record<string, unknown>): string {
	const sizesList = result['sizes'] as SizeResult[];
	const machine = result['machine'] as Record<string, unknown>;
	const warmup = result['warmup'] as Record<string, unknown>;
	const label = (item: SizeResult) => `${item.size.name} (${item.size.containers} / ${item.size.groups}×${item.size.partitions} / ${item.size.tagValues})`;
	const lines: string[] = [];
	lines.push(`Latest run: ${String(result['at'])} on ${String(machine['cpus'])} × ${String(machine['cpuModel'])}, ${String(machine['memoryGiB'])} GiB, Node ${String(machine['node'])}, ${String(machine['prometheus']).replace(/^prometheus, version /, 'Prometheus ')}; load average at start ${(machine['loadAverageAtStart'] as number[]).join(' ')} (other work on the machine), the synthetic exporters and Prometheus instances used ${String(warmup['exportersAndPrometheusCpuPercent'])} % of a core while warming up; the run took ${String(result['durationSeconds'])} s.`, '');
	lines.push('Work per poll — requests (range queries asked) / bytes received / poll wall time, one poll each; "steady": requests of the monitor\'s poll once the rows it chose held over two polls, within one window step:', '');
	const viewNames = ['--once (all domains, every partition)', 'UI Overview', 'UI Kafka', 'UI Kafka, one group drilled in', 'UI Containers', 'UI k6'];
	lines.push(`| size (containers / groups×partitions / k6 tag values) | series in Prometheus | ${viewNames.map(name => name.replace(' (all domains, every partition)', '').replace('UI ', '').replace(', one group drilled in', ' drill-in')).join(' | ')} |`);
	lines.push(`|---|---|${viewNames.map(() => '---').join('|')}|`);
	for (const item of sizesList) {
		const cells = viewNames.map(name => {
			const poll = item.polls.find(cost => cost.view === name);
			return poll ? `${poll.queries} (${poll.rangeQueries}) / ${kib(poll.bytes)} / ${poll.pollMs} ms${poll.steadyRequests === null ? '' : `; steady ${poll.steadyRequests}`}` : 'n/a';
		});
		lines.push(`| ${label(item)} | ${item.prometheus.headSeries ?? '?'} | ${cells.join(' | ')} |`);
	}

	lines.push('', `Cost of the monitor — the real \`kmon --once --json\` (median of ${String((result['settings'] as Record<string, unknown>)['onceRuns'])}), and over ${String((result['settings'] as Record<string, unknown>)['uiSeconds'])} s at a 2 s interval (from ${String((result['settings'] as Record<string, unknown>)['settleSeconds'])} s after start) on the Overview tab, ${[...new Set(sizesList.map(item => item.monitor.measured))].join(', ')}:`, '');
	lines.push('| size | `--once --json` wall | CPU % of one core | RSS MiB mean / max | Ink render ms p50 / p95 / max | longest main-thread block ms | terminal bytes per update median / max |');
	lines.push('|---|---|---|---|---|---|---|');
	for (const item of sizesList) {
		const m = item.monitor;
		lines.push(`| ${item.size.name} | ${item.once.medianMs} ms | ${m.cpuPercentOfOneCore} | ${m.rssMiB.mean} / ${m.rssMiB.max} | ${m.renderMs ? `${m.renderMs.p50} / ${m.renderMs.p95} / ${m.renderMs.max}` : 'n/a'} | ${m.mainThreadBlockMs?.max ?? 'n/a'} | ${m.terminal ? `${m.terminal.bytesPerUpdateMedian} / ${m.terminal.bytesPerUpdateMax}` : 'n/a'} |`);
	}

	lines.push('', '| target (issue 7) | size | measured | result |', '|---|---|---|---|');
	for (const check of result['targets'] as Check[]) {
		lines.push(`| ${check.target} | ${check.size} | ${check.measured.replaceAll('|', '\\|')} | ${check.pass === null ? 'inconclusive / not measured' : (check.pass ? 'pass' : '**FAIL**')} |`);
	}

	return lines.join('\n');
}

export function writeResults(result: Record<string, unknown>): void {
	mkdirSync(path.join(root, 'bench/results'), {recursive: true});
	writeFileSync(path.join(root, 'bench/results/scale.json'), `${JSON.stringify(result, null, '\t')}\n`);
	const readme = path.join(root, 'bench/README.md');
	const begin = '<!-- scale:begin (written by bench/scale.ts) -->';
	const end = '<!-- scale:end -->';
	const block = `${begin}\n${markdown(result)}\n${end}`;
	const text = existsSync(readme) ? readFileSync(readme, 'utf8') : '';
	const start = text.indexOf(begin);
	const stop = text.indexOf(end);
	writeFileSync(readme, start !== -1 && stop > start ? text.slice(0, start) + block + text.slice(stop + end.length) : `${text}\n${block}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	try {
		const result = await benchScale();
		writeResults(result);
		process.stdout.write(`${markdown(result)}\n`);
	} catch (error) {
		process.stderr.write(`scale: ${error instanceof Error ? error.message : String(error)}\n`);
		process.exitCode = 1;
	}
}
