#!/usr/bin/env node
// The UI benchmark (issue 4): what one screen update costs with Ink 6.8 in production mode, and whether memory
// stays bounded when values change on every update. Renders recorded snapshots (test/fixtures/snapshots) into a
// fake terminal stream; with a Prometheus reachable it also runs the real binary in tmux for a minute.
//
//   npm run build && node bench/ui.js            results in bench/results/ui.json
//   KMON_BENCH_LIVE=0 node bench/ui.js           without the live part
//   KMON_BENCH_SOAK=2000 node bench/ui.js        a shorter soak (default 10000 updates)
//   KMON_BENCH_LIVE_SECONDS=30 node bench/ui.js  a shorter live run (default 60 s)
//
// Measured per update: wall time of the whole synchronous path (React commit, Yoga layout, Ink's output, the
// write), Ink's own output time (onRender), and the bytes that reach the terminal. Frames are timed at Ink's
// maxFps of 1000 with a 2 ms pause between updates, so the 33 ms throttle of the default 30 fps never merges two
// updates into one frame; kmon itself updates once per poll (2 s), far below any throttle.
import {execFileSync, spawn} from 'node:child_process';
import {EventEmitter} from 'node:events';
import {existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import v8 from 'node:v8';

// React's development build keeps a performance entry per render: the benchmark must measure production.
process.env.NODE_ENV = 'production';
delete process.env.CI;
// Colours as in a terminal (chalk looks at process.stdout, which is not the stream Ink renders into here).
process.env.FORCE_COLOR ??= '3';

if (typeof globalThis.gc !== 'function') {
	// Heap after GC needs --expose-gc: run again with it.
	const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], {stdio: 'inherit'});
	child.on('exit', code => {
		process.exitCode = code ?? 1;
	});
} else {
	await main();
}

async function main() {
	const root = new URL('../', import.meta.url);
	if (!existsSync(new URL('dist/ui/app.js', root))) {
		throw new Error('dist/ is missing: run npm run build first');
	}

	const React = (await import('react')).default;
	const {render} = await import('ink');
	const {App} = await import('../dist/ui/app.js');
	const {createFixedFeed} = await import('../dist/ui/fixed-feed.js');
	const {ScreenWriter} = await import('../dist/ui/screen-writer.js');
	const {unicodeGlyphs} = await import('../dist/ui/glyphs.js');
	const {colourPalette} = await import('../dist/ui/palette.js');

	const round = (value, digits = 2) => Math.round(value * (10 ** digits)) / (10 ** digits);
	const recorded = name => JSON.parse(readFileSync(new URL(`test/fixtures/snapshots/${name}.json`, root), 'utf8'));
	const theme = {glyphs: unicodeGlyphs, palette: colourPalette};
	const started = performance.now();
	const results = {
		recordedAt: new Date().toISOString(),
		loadAverageAtStart: os.loadavg().map(value => round(value)),
		machine: {node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? null, platform: `${os.platform()} ${os.release()}`},
		ink: JSON.parse(readFileSync(new URL('node_modules/ink/package.json', root), 'utf8')).version,
		react: React.version,
		method: 'production React; fake 120x40 TTY stream; one update = a new snapshot with every number changed (±20 %) and every history shifted by one point',
	};

	/** A terminal-shaped stream that counts what reaches it. */
	class FakeTerminal extends EventEmitter {
		isTTY = true;
		writable = true;
		writableEnded = false;
		writableLength = 0;
		destroyed = false;
		bytes = 0;
		clears = 0;
		constructor(columns, rows) {
			super();
			this.columns = columns;
			this.rows = rows;
		}

		write(chunk, encoding, callback) {
			const text = String(chunk);
			this.bytes += Buffer.byteLength(text);
			// A full-screen clear (ESC[2J) on an update is what makes tmux and slow links flicker.
			this.clears += text.split('\u001B[2J').length - 1;
			const done = typeof encoding === 'function' ? encoding : callback;
			done?.();
			return true;
		}

		cork() {}
		uncork() {}
	}

	/** Keys for Ink: what ink-testing-library's stdin does, enough to switch tabs. */
	class FakeKeyboard extends EventEmitter {
		isTTY = true;
		data = null;
		setEncoding() {}
		setRawMode() {}
		ref() {}
		unref() {}
		resume() {}
		pause() {}
		read = () => {
			const {data} = this;
			this.data = null;
			return data;
		};

		press(key) {
			this.data = key;
			this.emit('readable');
		}
	}

	const skip = new Set(['partition', 'stepSeconds', 'points', 'rangeSeconds', 'schema', 'status', 'queries', 'bytes']);
	/** The next poll's snapshot: every number moves, every history gains a point and loses its oldest. */
	function vary(value, random, key = '') {
		if (Array.isArray(value)) {
			if (value.length > 0 && value.every(item => item === null || typeof item === 'number')) {
				const last = value.findLast(item => item !== null) ?? 1;
				return [...value.slice(1), Math.abs(last * (0.8 + (random() * 0.4)))];
			}

			return value.map(item => vary(item, random));
		}

		if (value && typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, vary(item, random, name)]));
		}

		if (typeof value === 'number' && Number.isFinite(value) && !skip.has(key)) {
			return value * (0.8 + (random() * 0.4));
		}

		return value;
	}

	/** A small deterministic generator, so runs compare. */
	function seeded(seed) {
		let state = seed;
		return () => {
			state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
			return state / 2_147_483_648;
		};
	}

	const stateOf = snapshot => ({
		snapshot, lastSuccessAt: snapshot.takenAt, error: null, domainErrors: {}, failures: 0, nextInMs: 2000, paused: false, skipped: 0, receivedAt: Date.now(),
	});
	const sleep = milliseconds => new Promise(resolve => {
		setTimeout(resolve, milliseconds);
	});
	const percentile = (values, p) => {
		const sorted = [...values].sort((a, b) => a - b);
		return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
	};


	/** Mounts the app on a fake terminal; `writer` puts kmon's ScreenWriter in front, as kmon does. */
	async function mount({snapshot, columns = 120, rows = 40, tab = 'overview', writer = true}) {
		const terminal = new FakeTerminal(columns, rows);
		const keyboard = new FakeKeyboard();
		const stream = writer ? new ScreenWriter(terminal) : terminal;
		const feed = createFixedFeed(stateOf(snapshot));
		const renderTimes = [];
		const instance = render(React.createElement(App, {
			feed, url: 'http://localhost:9090', version: 'bench', tagKey: 'name', rangeMs: 300_000, intervalMs: 2000, theme, initialTab: tab,
		}), {stdout: stream, stdin: keyboard, exitOnCtrlC: false, patchConsole: false, maxFps: 1000, onRender: ({renderTime}) => renderTimes.push(renderTime)});
		await sleep(20);
		return {terminal, keyboard, feed, renderTimes, instance};
	}

	/** `count` updates, each timed from the new state to the bytes written. */
	async function updates(screen, snapshot, count, seed) {
		const random = seeded(seed);
		const times = [];
		const cpu = [];
		const bytes = [];
		let current = snapshot;
		screen.renderTimes.length = 0;
		const clearsBefore = screen.terminal.clears;
		for (let index = 0; index < count; index++) {
			current = vary(current, random);
			const next = stateOf(current);
			const before = screen.terminal.bytes;
			const start = performance.now();
			const cpuStart = process.cpuUsage();
			screen.feed.set(next);
			// React 19 renders a store change in a microtask; Ink lays out and writes within that render. By the
			// next macrotask the frame is on the terminal.
			await new Promise(resolve => {
				setImmediate(resolve);
			});
			times.push(performance.now() - start);
			const used = process.cpuUsage(cpuStart);
			cpu.push((used.user + used.system) / 1000);
			bytes.push(screen.terminal.bytes - before);
			await sleep(2);
		}

		return {
			updates: count,
			frameMs: {p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), max: round(Math.max(...times))},
			frameCpuMs: {p50: round(percentile(cpu, 50)), p95: round(percentile(cpu, 95))},
			inkOutputMs: {p50: round(percentile(screen.renderTimes, 50)), p95: round(percentile(screen.renderTimes, 95))},
			bytesPerUpdate: {p50: percentile(bytes, 50), p95: percentile(bytes, 95), mean: Math.round(bytes.reduce((sum, value) => sum + value, 0) / count)},
			fullScreenClears: screen.terminal.clears - clearsBefore,
		};
	}

	const base = recorded('kafka-group-gone');
	process.stdout.write('kmon UI benchmark\n');

	// --- frames per tab, with kmon's ScreenWriter and, for comparison, Ink's own standard output ---------------
	results.frames = {};
	for (const tab of ['overview', 'kafka', 'containers', 'k6']) {
		const screen = await mount({snapshot: base, tab});
		const firstFrameBytes = screen.terminal.bytes;
		await updates(screen, base, 30, 1);
		results.frames[tab] = {...await updates(screen, base, 250, 7), firstFrameBytes};
		screen.instance.unmount();
		const plain = await mount({snapshot: base, tab, writer: false});
		await updates(plain, base, 30, 1);
		results.frames[tab].inkStandardRendererBytesPerUpdate = (await updates(plain, base, 100, 7)).bytesPerUpdate;
		plain.instance.unmount();
		const frame = results.frames[tab];
		process.stdout.write(`  ${tab.padEnd(10)} frame p50 ${frame.frameMs.p50} ms, p95 ${frame.frameMs.p95} ms (CPU p50 ${frame.frameCpuMs.p50} ms); ${frame.bytesPerUpdate.p50} B/update (Ink alone ${frame.inkStandardRendererBytesPerUpdate.p50} B); clears ${frame.fullScreenClears}\n`);
	}

	// --- the k6 tab with 200 tag rows --------------------------------------------------------------------------
	{
		const rows = base.k6.data.byTag;
		const wide = structuredClone(base);
		wide.k6.data.byTag = Array.from({length: 200}, (_, index) => ({...structuredClone(rows[index % rows.length]), value: `${rows[index % rows.length].value} #${index}`}));
		wide.k6.data.tagValueCount = 200;
		results.k6With200TagRows = {note: 'the recorded k6 rows repeated to 200 values'};
		for (const [columns, rowsOfTerminal] of [[120, 40], [200, 60]]) {
			const screen = await mount({snapshot: wide, tab: 'k6', columns, rows: rowsOfTerminal});
			await updates(screen, wide, 20, 3);
			const measured = await updates(screen, wide, 200, 5);
			results.k6With200TagRows[`${columns}x${rowsOfTerminal}`] = measured;
			screen.instance.unmount();
			process.stdout.write(`  k6 200 rows ${columns}x${rowsOfTerminal}: frame p50 ${measured.frameMs.p50} ms, p95 ${measured.frameMs.p95} ms (CPU p50 ${measured.frameCpuMs.p50} ms)\n`);
		}
	}

	// --- soak: heap after GC over many updates with changing values ---------------------------------------------
	{
		const count = Number(process.env.KMON_BENCH_SOAK ?? 10_000);
		const screen = await mount({snapshot: base, tab: 'overview'});
		const tabs = ['1', '2', '3', '4'];
		await updates(screen, base, 200, 11);
		globalThis.gc();
		globalThis.gc();
		const heapBefore = process.memoryUsage().heapUsed;
		const samples = [];
		const soakStarted = performance.now();
		let current = base;
		const random = seeded(42);
		for (let index = 0; index < count; index++) {
			// Every tab in turn, so every view's texts meet Ink's caches.
			if (index % 500 === 0) {
				screen.keyboard.press(tabs[(index / 500) % tabs.length]);
			}

			current = vary(current, random);
			screen.feed.set(stateOf(current));
			await new Promise(resolve => {
				setImmediate(resolve);
			});
			if ((index + 1) % 2000 === 0) {
				globalThis.gc();
				samples.push({updates: index + 1, heapMiB: round(process.memoryUsage().heapUsed / 1_048_576)});
			}
		}

		globalThis.gc();
		globalThis.gc();
		const heapAfter = process.memoryUsage().heapUsed;
		screen.instance.unmount();
		results.soak = {
			updates: count,
			seconds: round((performance.now() - soakStarted) / 1000, 1),
			heapAfterGcMiB: {before: round(heapBefore / 1_048_576), after: round(heapAfter / 1_048_576)},
			growthMiB: round((heapAfter - heapBefore) / 1_048_576),
			samples,
			rssMiB: round(process.memoryUsage().rss / 1_048_576),
			heapLimitMiB: round(v8.getHeapStatistics().heap_size_limit / 1_048_576),
		};
		process.stdout.write(`  soak ${count} updates: heap after GC ${results.soak.heapAfterGcMiB.before} -> ${results.soak.heapAfterGcMiB.after} MiB (${results.soak.growthMiB} MiB)\n`);
	}

	// --- live: the real binary in tmux against a real Prometheus ------------------------------------------------
	results.live = await live(new URL('.', root)).catch(error => ({skipped: error.message}));
	if (results.live.skipped) {
		process.stdout.write(`  live: skipped (${results.live.skipped})\n`);
	} else {
		process.stdout.write(`  live ${results.live.seconds} s: CPU ${results.live.cpuPercentOfOneCore} % of one core, RSS max ${results.live.rssMiB.max} MiB, first data frame ${results.live.firstDataFrameMs} ms after start\n`);
	}

	results.loadAverageAtEnd = os.loadavg().map(value => round(value));
	results.benchSeconds = round((performance.now() - started) / 1000, 1);
	mkdirSync(new URL('bench/results/', root), {recursive: true});
	writeFileSync(new URL('bench/results/ui.json', root), `${JSON.stringify(results, null, '\t')}\n`);
	process.stdout.write(`written bench/results/ui.json (${results.benchSeconds} s)\n`);
}

/** 60 s of the real binary at the default 2 s interval in a 120x40 tmux pane: CPU, RSS, time to the first data frame. */
async function live(root) {
	if (process.env.KMON_BENCH_LIVE === '0') {
		throw new Error('KMON_BENCH_LIVE=0');
	}

	const url = process.env.KMON_PROMETHEUS_URL ?? 'http://127.0.0.1:9090';
	const ready = await fetch(`${url}/-/ready`).then(response => response.ok, () => false);
	if (!ready) {
		throw new Error(`no Prometheus at ${url} (npm run stack:up)`);
	}

	const seconds = Number(process.env.KMON_BENCH_LIVE_SECONDS ?? 60);
	const socket = `kmon-bench-${process.pid}`;
	const tmux = (...args) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8', cwd: fileURLToPath(root)});
	const ticks = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim());
	const pageBytes = Number(execFileSync('getconf', ['PAGESIZE'], {encoding: 'utf8'}).trim());
	const stat = pid => {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		// utime and stime are fields 14 and 15 of /proc/PID/stat (index 11 and 12 after the command name).
		return {cpuSeconds: (Number(fields[11]) + Number(fields[12])) / ticks, rssMiB: (Number(fields[21]) * pageBytes) / 1_048_576};
	};

	const started = Date.now();
	const capture = path.join(os.tmpdir(), `kmon-bench-${process.pid}.out`);
	tmux('new-session', '-d', '-s', 'bench', '-x', '120', '-y', '40', '-e', 'LANG=C.UTF-8', 'sh', '-c', `./bin/kmon.js --prometheus '${url}'; sleep 600`);
	// Everything kmon writes to its terminal, to count the bytes per update.
	tmux('pipe-pane', '-t', 'bench', '-o', `cat >> '${capture}'`);
	try {
		let firstDataFrameMs = null;
		while (Date.now() - started < 15_000) {
			if (/data <5s old/.test(tmux('capture-pane', '-p', '-t', 'bench'))) {
				firstDataFrameMs = Date.now() - started;
				break;
			}

			await new Promise(resolve => {
				setTimeout(resolve, 20);
			});
		}

		const shell = tmux('display-message', '-p', '-t', 'bench', '#{pane_pid}').trim();
		const pid = execFileSync('pgrep', ['-P', shell], {encoding: 'utf8'}).trim().split('\n')[0];
		const header = tmux('capture-pane', '-p', '-t', 'bench').split('\n')[0];
		// Kafka tab: the busiest one for queries (groups, partitions counts, brokers).
		tmux('send-keys', '-t', 'bench', '2');
		await new Promise(resolve => {
			setTimeout(resolve, 3000);
		});
		const first = stat(pid);
		const bytesBefore = statSync(capture).size;
		const rss = [first.rssMiB];
		for (let second = 0; second < seconds; second++) {
			await new Promise(resolve => {
				setTimeout(resolve, 1000);
			});
			rss.push(stat(pid).rssMiB);
		}

		const last = stat(pid);
		const bytes = statSync(capture).size - bytesBefore;
		return {
			seconds,
			intervalMs: 2000,
			tab: 'kafka',
			cpuPercentOfOneCore: Math.round(((last.cpuSeconds - first.cpuSeconds) / seconds) * 1000) / 10,
			rssMiB: {start: Math.round(first.rssMiB), max: Math.round(Math.max(...rss)), end: Math.round(last.rssMiB)},
			firstDataFrameMs,
			firstDataFrameNote: 'from starting node to the first frame showing data, read by polling capture-pane every 20 ms: node start, Ink import, first poll included',
			bytesToTerminal: {total: bytes, perSecond: Math.round(bytes / seconds), perPoll: Math.round(bytes / (seconds / 2))},
			header,
			dataLayerAlone: await dataLayerAlone(url, Math.min(30, seconds)),
		};
	} finally {
		tmux('kill-server');
		rmSync(capture, {force: true});
	}
}

/**
 * The poller and collectors without any UI, on the Kafka tab's request, in a process of their own: how much
 * of the live CPU and RSS is the data layer's.
 */
async function dataLayerAlone(url, seconds) {
	const script = `
		process.env.NODE_ENV = 'production';
		const {createClient} = await import(${JSON.stringify(new URL('../dist/once.js', import.meta.url).href)});
		const {createPollerFeed} = await import(${JSON.stringify(new URL('../dist/ui/poller-feed.js', import.meta.url).href)});
		const client = createClient({prometheusUrl: ${JSON.stringify(url)}, credentials: {kind: 'none'}, headers: {}, timeoutMs: 5000});
		const feed = createPollerFeed({client, url: ${JSON.stringify(url)}, intervalMs: 2000});
		feed.request({tab: 'kafka', tagKey: 'name', rangeMs: 300000, points: 16, partitionsOf: null, containerSort: 'cpu'});
		await new Promise(resolve => setTimeout(resolve, 3000));
		const start = process.cpuUsage();
		await new Promise(resolve => setTimeout(resolve, ${seconds * 1000}));
		const used = process.cpuUsage(start);
		const snapshot = feed.getState().snapshot;
		console.log(JSON.stringify({
			seconds: ${seconds},
			cpuPercentOfOneCore: Math.round((used.user + used.system) / 1e4 / ${seconds} * 10) / 10,
			rssMiB: Math.round(process.memoryUsage().rss / 1048576),
			queriesPerPoll: snapshot?.prometheus.queries ?? null,
			responseBytesPerPoll: snapshot?.prometheus.bytes ?? null,
		}));
		feed.stop();
		client.close();
		process.exit(0);`;
	const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8', timeout: (seconds + 30) * 1000});
	return JSON.parse(output.trim().split('\n').at(-1));
}
