// Preloaded into the process the scale benchmark measures (`node --import …/ui-probe.mjs bin/kmon.js …`):
// - counts what the process writes to stdout (the terminal): bytes and writes, grouped into updates
//   (writes less than 20 ms apart belong to one update);
// - records Ink's render time per frame (through ink-shim.mjs, when the process uses Ink);
// - records the event-loop delay (perf_hooks), whose maximum is the longest stretch the main thread was
//   busy without yielding: an upper bound on any frame's total cost (React commit, layout, output, write)
//   and on how long a key press could wait.
// The first SIGUSR2 resets everything (the benchmark sends it after start-up); each later one, and the exit,
// write the numbers so far to $KMON_BENCH_PROBE_FILE as JSON.
import {renameSync, writeFileSync} from 'node:fs';
import {register} from 'node:module';
import {monitorEventLoopDelay} from 'node:perf_hooks';
import process from 'node:process';

// Ink's render times need a module hook, which Node runs on a thread of its own (a second V8 isolate: about
// 10–20 MiB of RSS); KMON_BENCH_PROBE_RENDER=0 leaves it out, for measuring RSS and CPU undisturbed.
if (process.env.KMON_BENCH_PROBE_RENDER !== '0') {
	register('./ink-hooks.mjs', import.meta.url);
}

const file = process.env.KMON_BENCH_PROBE_FILE;
// The event-loop delay histogram samples every 5 ms: ~1.7 % of a core on this machine, more than kmon itself at
// the small size. It runs only in the render-timing run, never in the one that measures CPU and RSS.
const timing = process.env.KMON_BENCH_PROBE_RENDER !== '0';
const delay = monitorEventLoopDelay({resolution: 5});
if (timing) {
	delay.enable();
}

globalThis.__kmonBenchRenderTimes = [];
let since = Date.now();
let updates = [];
let lastWriteAt = 0;

const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
	const bytes = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
	const now = performance.now();
	if (updates.length > 0 && now - lastWriteAt < 20) {
		updates.at(-1).bytes += bytes;
		updates.at(-1).writes++;
	} else {
		updates.push({at: Date.now() - since, bytes, writes: 1});
	}

	lastWriteAt = now;
	return write(chunk, ...rest);
};

// The first SIGUSR2 starts the measurement; each later one asks for the numbers so far.
let started = false;
process.on('SIGUSR2', () => {
	if (started) {
		dump();
		return;
	}

	started = true;
	delay.reset();
	globalThis.__kmonBenchRenderTimes = [];
	updates = [];
	since = Date.now();
});

const ms = nanoseconds => Math.round(nanoseconds / 1e4) / 100;
const dump = () => {
	if (!file) {
		return;
	}

	// Written aside and renamed: the benchmark reads the file at any moment, and must never see half of it.
	writeFileSync(`${file}.part`, JSON.stringify({
		since,
		at: Date.now(),
		updates,
		renderTimesMs: globalThis.__kmonBenchRenderTimes,
		eventLoopDelayMs: timing ? {p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), mean: ms(delay.mean)} : null,
		heapUsedBytes: process.memoryUsage().heapUsed,
	}));
	renameSync(`${file}.part`, file);
};

// Written when asked and at exit, never on a timer: a timer would wake the measured process every second, and
// at the small size one wake costs about what a poll does.
process.on('exit', dump);
