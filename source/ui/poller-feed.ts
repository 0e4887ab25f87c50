import type {PrometheusClient} from '../prometheus/client.js';
import {createPoller, type PollState, type Poller} from '../poller.js';
import {evaluationTime, msUntilNewQueries, windowFor} from '../prometheus/window.js';
import {collectSnapshot, type PollMemo} from '../snapshot/collect.js';
import {readRunMarkers} from '../k6/run-store.js';
import {dockerIdentityAdder} from '../snapshot/add-docker-identity.js';
import {withBackendWarnings} from '../snapshot/diagnose.js';
import type {RunMarker, Snapshot, Window} from '../snapshot/types.js';
import {collectOptionsFor, sameRequest} from './collect-request.js';
import {type Feed, type FeedState, type ViewRequest, waitingState} from './feed.js';
import {pollDigest} from './poll-digest.js';

export type PollerFeedOptions = {
	client: PrometheusClient;
	url: string;
	intervalMs: number;
	now?: () => number;
	/** k6 runs overlapping a window, from the run store; the data layer leaves them to the caller. */
	runMarkers?: (window: Window, offsetMs: number) => RunMarker[];
};

/**
 * The poller behind the screen. It starts on the first request, because the number of sparkline points
 * depends on the terminal width, which only the mounted screen knows. Listeners hear once per poll.
 */
export function createPollerFeed(options: PollerFeedOptions): Feed {
	const now = options.now ?? Date.now;
	const readMarkers = options.runMarkers ?? ((window, offsetMs) => readRunMarkers(window, {offsetMs}));
	const markersOf = (window: Window, offsetMs: number): RunMarker[] => {
		try {
			return readMarkers(window, offsetMs);
		} catch {
			// An unreadable run store costs the marks on the charts, never the poll.
			return [];
		}
	};
	const addDocker = dockerIdentityAdder();
	const listeners = new Set<() => void>();
	let state: FeedState = waitingState;
	let poller: Poller<ViewRequest> | undefined;
	let current: ViewRequest | undefined;
	/** The digest of the state listeners last heard about. */
	let heard = '';

	/** What the last polls found, so the next one asks its queries without waiting to find them again. */
	const memo: PollMemo = {choices: new Map()};
	/** The last poll that every domain answered, and what it asked for. */
	let complete: {request: ViewRequest; snapshot: Snapshot} | undefined;

	const {clock} = options.client;
	const collect = async (request: ViewRequest): Promise<Snapshot> => {
		// Polls are asked on Prometheus's time (prometheus/server-clock.ts); ages on screen stay on this machine's.
		const moment = await options.client.serverNow(now);
		if (complete && sameRequest(complete.request, request) && asksNothingNew(complete.snapshot, moment, request)) {
			// Nothing can be asked that the last poll did not ask (at 2 s, three polls in five): Prometheus is
			// spared, and the screen is not redrawn.
			return complete.snapshot;
		}

		const {client} = options;
		const before = {...client.traffic};
		const started = performance.now();
		const collected = withBackendWarnings(await addDocker(await collectSnapshot(client, {...collectOptionsFor(request, options.url), clockOffsetMs: clock.offsetMs}, moment, memo)), client.takeWarnings());
		const snapshot = {
			...collected,
			runs: markersOf(collected.window, clock.offsetMs ?? 0),
			prometheus: {
				...collected.prometheus,
				pollMs: Math.round(performance.now() - started),
				queries: client.traffic.queries - before.queries,
				bytes: client.traffic.bytes - before.bytes,
			},
		};
		complete = [snapshot.kafka, snapshot.containers, snapshot.k6].some(section => section.state === 'failed') ? undefined : {request, snapshot};
		return snapshot;
	};

	// Waking costs more than the work a wake finds (measured: a 2-ms task after a 2-s sleep takes 10 ms of CPU on
	// the bench machine). At a 2-s interval, three wakes in five would find nothing new: the poller sleeps through
	// them, to just after the next grain, when new samples are there to ask for.
	const untilNewMs = () => msUntilNewQueries(clock.now(now())) + afterGrainMs;

	const onState = (next: PollState) => {
		// A poll that answered brings a new snapshot object; pause and skip notices carry the same one.
		const arrived = next.error === null && next.snapshot !== null && next.snapshot !== state.snapshot;
		state = {...next, receivedAt: arrived ? now() : state.receivedAt};
		// At a 2-s interval most polls find what the last one found (new samples come every scrape): the state is
		// kept, so the next render shows the new age and latency, but no frame is drawn for it now.
		const digest = pollDigest(state);
		if (digest === heard) {
			return;
		}

		heard = digest;
		for (const listener of listeners) {
			listener();
		}
	};

	return {
		getState: () => state,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		request(request) {
			if (current && sameRequest(current, request)) {
				return;
			}

			current = request;
			if (poller) {
				poller.setRequest(request);
				return;
			}

			poller = createPoller({intervalMs: options.intervalMs, collect, request, onState, untilNewMs});
			poller.start();
		},
		setPaused(paused) {
			poller?.setPaused(paused);
		},
		pollNow() {
			poller?.pollNow();
		},
		stop() {
			poller?.stop();
			listeners.clear();
		},
	};
}

/** Scrapes that finish just after a grain begins are then in. */
const afterGrainMs = 250;

/** Same evaluation time (5-s grain) and same window: every query would get the answer it got. */
function asksNothingNew(snapshot: Snapshot, moment: Date, request: ViewRequest): boolean {
	return snapshot.takenAt === evaluationTime(moment).toISOString()
		&& snapshot.window.end === windowFor(moment, request.rangeMs, request.points).end;
}
