import {readFileSync} from 'node:fs';
import process from 'node:process';
import {render} from 'ink';
import type {Config} from '../config/config.js';
import {createClient} from '../once.js';
import {App, type K6RunControls, type StackControls} from './app.js';
import {asciiGlyphs, prefersAscii, unicodeGlyphs} from './glyphs.js';
import {colourPalette, wantsColour} from './palette.js';
import {createPollerFeed} from './poller-feed.js';
import {ScreenWriter} from './screen-writer.js';
import {enterFullScreen} from './terminal-screen.js';

/** Signals that end kmon like q does, and the exit code each one means (128 + signal number). */
const quitSignals = {SIGHUP: 129, SIGINT: 130, SIGTERM: 143} as const;

export type UiOptions = {
	/** k6 run controls; without them `r` and `x` say that runs cannot be started here. */
	runs?: K6RunControls;
	/** The offer to start the monitoring stack while Prometheus does not answer. */
	stack?: StackControls;
};

/** The full-screen monitor until q, Ctrl-C or a signal; returns the exit code. Load it through start.ts. */
export async function runScreen(config: Config, options: UiOptions = {}): Promise<number> {
	const client = createClient(config);
	const feed = createPollerFeed({client, url: config.prometheusUrl, intervalMs: config.intervalMs});
	let exitCode = 0;
	let done = false;
	// A terminal gone without a SIGHUP reaching kmon (its shell survived the hangup) ends kmon the same way.
	const screen = enterFullScreen(process.stdout, () => {
		if (!done) {
			onSignal('SIGHUP');
		}
	});
	const writer = new ScreenWriter(process.stdout);
	const instance = render(
		<App
			feed={feed}
			url={config.prometheusUrl}
			version={packageVersion()}
			tagKey={config.tagKey}
			rangeMs={config.rangeMs}
			intervalMs={config.intervalMs}
			runs={options.runs}
			stack={options.stack}
			theme={{
				glyphs: prefersAscii(config.ascii, process.env) ? asciiGlyphs : unicodeGlyphs,
				palette: colourPalette,
				colours: wantsColour(process.env),
			}}
		/>,
		{
			// Ink draws whole frames; the writer sends only the lines that changed (see screen-writer.ts for why
			// Ink's own incremental mode is not used).
			stdout: writer as unknown as NodeJS.WriteStream,
			// Ctrl-C goes through the app's own quit path, like q.
			exitOnCtrlC: false,
		},
	);
	const onSignal = (signal: keyof typeof quitSignals) => {
		exitCode = quitSignals[signal];
		instance.unmount();
	};

	const handlers = Object.keys(quitSignals).map(name => {
		const signal = name as keyof typeof quitSignals;
		const handler = () => {
			onSignal(signal);
		};

		process.on(signal, handler);
		return () => process.off(signal, handler);
	});
	try {
		await instance.waitUntilExit();
	} finally {
		done = true;
		for (const remove of handlers) {
			remove();
		}

		feed.stop();
		client.close();
		writer.dispose();
		screen.restore();
	}

	return exitCode;
}

function packageVersion(): string {
	try {
		const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
		return (JSON.parse(text) as {version?: string}).version ?? '?';
	} catch {
		return '?';
	}
}
