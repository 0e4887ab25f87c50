#!/usr/bin/env -S node --max-semi-space-size=1 --single-threaded-gc
// The shebang caps V8's young generation: about 40 MiB less RSS for a monitor left running, same CPU (measured by
// bench/ui.js and bench/scale.ts). It keeps the garbage collector on the main thread: kmon's heap is small, and
// waking V8's helper threads for each of its collections cost more than they saved (about 13 % of the monitor's
// CPU, A/B in bench/README.md). V8 takes that flag only at start-up.
// React's development build leaks a performance mark per render (react#35761); it must be off before React
// loads, and static imports would load it first, hence the dynamic import.
process.env.NODE_ENV ||= 'production';

const {main} = await import('../dist/cli.js');
try {
	process.exitCode = await main();
} catch (error) {
	// The last resort: one line, no stack trace, unless asked for.
	process.stderr.write(`kmon: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
	if (process.env.KMON_DEBUG) {
		process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
	}

	process.exitCode = 1;
}

// The root owns exiting: once main has decided, nothing it left waiting (the monitor's `u` still polling a stack's
// health, an idle keep-alive socket) may hold the process. It exits once stdout and stderr have handed over all
// they were given: a write to a full pipe is queued, and exiting before it drains would cut the output short
// (seen: kmon --once --json | node … read half a JSON document). k6 runs go on detached.
process.stdout.write('', () => {
	process.stderr.write('', () => {
		process.exit();
	});
});
