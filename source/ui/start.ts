import process from 'node:process';
import v8 from 'node:v8';
import type {Config} from '../config/config.js';
import type {UiOptions} from './run-screen.js';

export type {UiOptions} from './run-screen.js';

/** Variables that make Ink 6.8 think it writes to a CI log (is-in-ci), read once when Ink is imported. */
const ciVariables = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

/**
 * `kmon`: the full-screen monitor. Ink is loaded here, not before: with CI or CONTINUOUS_INTEGRATION set it
 * would draw nothing until exit (it takes the terminal for a CI log), and kmon only gets here with a terminal
 * on both ends. They are hidden while Ink loads and put back at once, so child processes still see them.
 */
export async function startUi(config: Config, options: UiOptions = {}): Promise<number> {
	// The monitor works in bursts of a few milliseconds every few seconds. V8's optimizing compiler spends more
	// on compiling them (on its worker threads) than the optimized code saves: without it, ~15 % less CPU and
	// ~6 MiB less RSS at the small bench size (A/B runs in bench/README.md). `--once` keeps it.
	v8.setFlagsFromString('--no-opt');
	const saved = ciVariables.map(name => [name, process.env[name]] as const);
	for (const name of ciVariables) {
		delete process.env[name];
	}

	let screen: typeof import('./run-screen.js');
	try {
		screen = await import('./run-screen.js');
	} finally {
		for (const [name, value] of saved) {
			if (value !== undefined) {
				process.env[name] = value;
			}
		}
	}

	return screen.runScreen(config, options);
}
