// Shared by the component tests: recorded snapshots in, what a user would see out.
import {readFileSync} from 'node:fs';
import {render} from 'ink-testing-library';
import type {Snapshot} from '../../source/snapshot/types.js';
import {App, type K6RunControls, type StackControls} from '../../source/ui/app.js';
import type {FeedState} from '../../source/ui/feed.js';
import {createFixedFeed} from '../../source/ui/fixed-feed.js';
import {asciiGlyphs, unicodeGlyphs} from '../../source/ui/glyphs.js';
import {colourPalette} from '../../source/ui/palette.js';
import type {Theme} from '../../source/ui/theme.js';

/** A snapshot recorded from the real stack with `kmon --once --json` (see test/fixtures/snapshots/README.md). */
export function recorded(name: string): Snapshot {
	return JSON.parse(readFileSync(new URL(`../fixtures/snapshots/${name}.json`, import.meta.url), 'utf8')) as Snapshot;
}

export const now = Date.parse('2030-01-01T00:00:00Z');

/** The feed state after a poll that answered, `ageMs` ago. */
export function answered(snapshot: Snapshot, ageMs = 1000, overrides: Partial<FeedState> = {}): FeedState {
	return {
		snapshot,
		lastSuccessAt: snapshot.takenAt,
		error: null,
		domainErrors: {},
		failures: 0,
		nextInMs: 2000,
		paused: false,
		skipped: 0,
		receivedAt: now - ageMs,
		...overrides,
	};
}

/** The feed state while Prometheus fails: `last` is the data that stays on screen, if any. */
export function failing(failure: Snapshot, last: Snapshot | null, ageMs = 180_000): FeedState {
	const section = failure.kafka;
	if (section.state !== 'failed') {
		throw new Error('the failure fixture must be a failed poll');
	}

	return {
		snapshot: last ?? failure,
		lastSuccessAt: last?.takenAt ?? null,
		error: section.error,
		domainErrors: {kafka: section.error, containers: section.error, k6: section.error},
		failures: 3,
		nextInMs: 8000,
		paused: false,
		skipped: 0,
		receivedAt: last ? now - ageMs : null,
	};
}

export const themes = {
	unicode: {glyphs: unicodeGlyphs, palette: colourPalette, colours: true},
	ascii: {glyphs: asciiGlyphs, palette: colourPalette, colours: false},
} satisfies Record<string, Theme>;

const sleep = async (milliseconds: number) => new Promise(resolve => {
	setTimeout(resolve, milliseconds);
});

/**
 * Wait until the screen stops changing. React 19 commits input-driven updates after the current task and
 * Ink flushes a lone Esc on setImmediate, so a macrotask is the least; a first render of a big tree can take
 * longer, so wait until no new frame came for a while.
 */
export async function settle(frames: () => number = () => 0): Promise<void> {
	let count = -1;
	for (let waited = 0; waited < 2000 && count !== frames(); waited += 15) {
		count = frames();
		await sleep(15);
	}
}

export type Screen = Awaited<ReturnType<typeof renderApp>>;

export async function renderApp(state: FeedState, options: {columns?: number; rows?: number; theme?: Theme; runs?: K6RunControls; stack?: StackControls} = {}) {
	const feed = createFixedFeed(state);
	let frameCount = () => 0;
	const app = render(
		<App
			feed={feed}
			url="http://localhost:9090"
			version="0.1.0"
			tagKey="name"
			rangeMs={300_000}
			intervalMs={2000}
			theme={options.theme ?? themes.unicode}
			runs={options.runs}
			stack={options.stack}
			now={() => now}
		/>,
	);
	frameCount = () => app.frames.length;
	const resize = async (columns: number, rows: number) => {
		// ink-testing-library's stream has a fixed 100 columns and no rows; give it a terminal's size.
		Object.defineProperty(app.stdout, 'columns', {value: columns, configurable: true});
		Object.defineProperty(app.stdout, 'rows', {value: rows, configurable: true});
		app.stdout.emit('resize');
		await settle(frameCount);
	};

	await resize(options.columns ?? 120, options.rows ?? 40);
	const raw = () => app.lastFrame() ?? '';
	// What a person reads: the text without its SGR styling (colours, bold, inverse).
	const frame = () => raw().replaceAll(/\u001B\[[\d;]*m/g, '');
	return {
		feed,
		frame,
		raw,
		/** The frame's lines, trailing spaces gone. */
		lines: () => frame().split('\n').map(line => line.trimEnd()),
		resize,
		async press(...keys: string[]) {
			for (const key of keys) {
				app.stdin.write(key);
				await settle(frameCount);
			}

			if (keys.length === 0) {
				await settle(frameCount);
			}
		},
		unmount: app.unmount,
	};
}

export const keys = {
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	shiftTab: '\u001B[Z',
	up: '\u001B[A',
	down: '\u001B[B',
	backspace: '\u007F',
	ctrlC: '\u0003',
};
