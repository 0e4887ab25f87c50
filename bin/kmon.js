#!/usr/bin/env -S node --max-semi-space-size=1
// The shebang caps V8's young generation: about 40 MiB less RSS for a monitor left running, same CPU (measured by bench/ui.js and bench/scale.ts).
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
