import {describeRunState} from './describe-run-state.js';
import type {RunController, RunPlan} from './run-controller.js';

/** What the monitor's `r` and `x` keys drive (the UI's K6RunControls). */
export type RunKeys = {
	start(): void;
	stop(): void;
	status(): string | null;
	subscribe(listener: () => void): () => void;
	/** A run is going on that nobody asked to stop yet: quitting asks first. */
	active(): boolean;
};

/**
 * `r` prepares the configured script and shows the one-line confirmation ("press r again to run: …"); a second
 * `r` starts it, `x` cancels it. While a run goes on, `x` stops it gracefully and a second `x` hard-stops it.
 * Problems (no k6, no StatsD output, no script) stay in the status line with their fix.
 */
export function createRunKeys(controller: RunController, script: string | null): RunKeys {
	const listeners = new Set<() => void>();
	let pending: RunPlan | null = null;
	let message: string | null = null;
	// React reads status() through useSyncExternalStore, which needs the same answer until a change is
	// announced, so the line is computed when something changes, not when it is read.
	let line: string | null = null;
	const notify = () => {
		line = message ?? describeRunState(controller.state);
		for (const listener of listeners) {
			listener();
		}
	};

	const say = (text: string | null) => {
		message = text;
		notify();
	};

	controller.subscribe(() => {
		notify();
	});
	const active = () => controller.state.status === 'running' || controller.state.status === 'stopping';

	return {
		start() {
			if (active()) {
				say('a k6 run is going on: x stops it');
				return;
			}

			if (pending) {
				const plan = pending;
				pending = null;
				say(null);
				void controller.start(plan).then(outcome => {
					if (!outcome.ok) {
						say(`k6 did not start: ${outcome.problem.message} — ${outcome.problem.fix.split('\n')[0]}`);
					}
				});
				return;
			}

			if (!script) {
				say('no k6 script: start kmon with --k6-script FILE (or KMON_K6_SCRIPT)');
				return;
			}

			say(`preparing ${script}…`);
			void controller.prepare(script).then(outcome => {
				if (outcome.ok) {
					pending = outcome.value;
					say(`press r again to run: ${outcome.value.description} (x cancels)`);
				} else {
					say(`${outcome.problem.message} — ${outcome.problem.fix.split('\n')[0]}`);
				}
			});
		},
		stop() {
			if (pending) {
				pending = null;
				say('k6 run cancelled');
				return;
			}

			if (active()) {
				say(null);
				controller.stop();
				return;
			}

			say('no k6 run to stop');
		},
		status: () => line,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		active: () => controller.state.status === 'running',
	};
}
