import {prometheusFailed} from './snapshot/diagnose.js';
import type {DomainName, QueryError, Section, Snapshot} from './snapshot/types.js';

/** What the UI shows: the newest data per domain, how old it is, and what went wrong since. */
export type PollState = {
	/** Newest snapshot, with domains that failed this time carried over from the last poll that had them. */
	snapshot: Snapshot | null;
	/** ISO time of the last poll in which Prometheus answered. */
	lastSuccessAt: string | null;
	/** Prometheus-level failure of the latest poll (unreachable, auth, timeout…), null when it answered. */
	error: QueryError | null;
	/** Domains whose latest collection failed while older data stays on screen, with why. */
	domainErrors: Partial<Record<DomainName, QueryError>>;
	/** Consecutive failed polls; drives the back-off. */
	failures: number;
	/** Milliseconds until the next attempt, as scheduled after the latest poll. */
	nextInMs: number;
	paused: boolean;
	/** Polls skipped because the previous one was still running. */
	skipped: number;
};

export type PollerOptions<Request> = {
	intervalMs: number;
	/** One poll; must not throw (errors are in the Snapshot). */
	collect: (request: Request) => Promise<Snapshot>;
	request: Request;
	onState: (state: PollState) => void;
	/** Longest wait between attempts while Prometheus is failing. */
	maxBackoffMs?: number;
	/**
	 * Milliseconds until a poll could bring anything the latest one did not. After a successful poll the poller
	 * sleeps that long when it is longer than the interval, instead of waking to find nothing new.
	 */
	untilNewMs?: () => number;
};

export type Poller<Request> = {
	start(): void;
	stop(): void;
	setPaused(paused: boolean): void;
	/** New request (tab, tag key, window…): takes effect with an immediate poll. */
	setRequest(request: Request): void;
	pollNow(): void;
};

/**
 * Polls on an interval, never two at once (a tick that finds a poll running is skipped and counted), and backs
 * off while Prometheus fails, forever: the monitor never gives up or exits on a data error.
 */
export function createPoller<Request>(options: PollerOptions<Request>): Poller<Request> {
	const maxBackoffMs = options.maxBackoffMs ?? 30_000;
	let request = options.request;
	let timer: NodeJS.Timeout | undefined;
	let running = false;
	let stopped = true;
	let again = false;
	let state: PollState = {snapshot: null, lastSuccessAt: null, error: null, domainErrors: {}, failures: 0, nextInMs: 0, paused: false, skipped: 0};

	const emit = (next: Partial<PollState>) => {
		state = {...state, ...next};
		options.onState(state);
	};

	const schedule = (delay: number) => {
		clearTimeout(timer);
		if (!stopped && !state.paused) {
			timer = setTimeout(() => {
				void tick();
			}, delay);
		}
	};

	const tick = async () => {
		if (running) {
			again = true;
			emit({skipped: state.skipped + 1});
			return;
		}

		running = true;
		const snapshot = await options.collect(request);
		running = false;
		if (stopped) {
			return;
		}

		const error = prometheusError(snapshot);
		const failures = error ? state.failures + 1 : 0;
		const delay = error
			? retryDelay(error, failures, options.intervalMs, maxBackoffMs)
			: Math.max(options.intervalMs, options.untilNewMs?.() ?? 0);
		emit({
			snapshot: error && state.snapshot ? state.snapshot : carryOver(state.snapshot, snapshot),
			lastSuccessAt: error ? state.lastSuccessAt : snapshot.takenAt,
			error,
			domainErrors: domainErrors(snapshot),
			failures,
			nextInMs: delay,
		});
		if (again) {
			again = false;
			schedule(0);
		} else {
			schedule(delay);
		}
	};

	return {
		start() {
			stopped = false;
			schedule(0);
		},
		stop() {
			stopped = true;
			clearTimeout(timer);
		},
		setPaused(paused) {
			emit({paused});
			if (paused) {
				clearTimeout(timer);
			} else {
				schedule(0);
			}
		},
		setRequest(next) {
			request = next;
			schedule(0);
		},
		pollNow() {
			schedule(0);
		},
	};
}

function prometheusError(snapshot: Snapshot): QueryError | null {
	const failed = [snapshot.kafka, snapshot.containers, snapshot.k6].find(section => section.state === 'failed');
	return prometheusFailed(snapshot) && failed?.state === 'failed' ? failed.error : null;
}

function domainErrors(snapshot: Snapshot): PollState['domainErrors'] {
	const errors: PollState['domainErrors'] = {};
	for (const domain of ['kafka', 'containers', 'k6'] as const) {
		const section = snapshot[domain];
		if (section.state === 'failed') {
			errors[domain] = section.error;
		}
	}

	return errors;
}

/** A domain that failed or was not asked for this time keeps its last data rather than going blank. */
function carryOver(previous: Snapshot | null, next: Snapshot): Snapshot {
	if (!previous) {
		return next;
	}

	const keep = <T>(before: Section<T>, after: Section<T>): Section<T> =>
		(after.state === 'failed' || after.state === 'skipped') && before.state === 'ok' ? before : after;
	return {
		...next,
		kafka: keep(previous.kafka, next.kafka),
		containers: keep(previous.containers, next.containers),
		k6: keep(previous.k6, next.k6),
	};
}

/**
 * How long to wait after `failures` failed polls in a row. A Prometheus that refuses connections (stopped,
 * restarting) costs nothing to ask again, and kmon should be back within two intervals of its return: those
 * retries stop growing at two intervals. A Prometheus that answers badly or not in time (timeouts, 5xx, auth)
 * may be overloaded: its retries double up to `maxBackoffMs`, so kmon does not add to the load.
 */
function retryDelay(error: QueryError, failures: number, intervalMs: number, maxBackoffMs: number): number {
	const cap = error.kind === 'unreachable' ? Math.min(2 * intervalMs, maxBackoffMs) : maxBackoffMs;
	return Math.min(cap, intervalMs * (2 ** Math.min(failures - 1, 10)));
}
