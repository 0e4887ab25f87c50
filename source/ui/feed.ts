import type {ContainerSort} from '../domains/containers/queries.js';
import type {PollState} from '../poller.js';

/** The tab a user looks at; each one asks the data layer only for what it shows. */
export type TabId = 'overview' | 'kafka' | 'containers' | 'k6';

/** What the screen needs from the data layer right now. The feed turns it into CollectOptions. */
export type ViewRequest = {
	tab: TabId;
	tagKey: string;
	rangeMs: number;
	/** Sparkline cells: one point per cell. */
	points: number;
	/** Consumer group whose per-partition lag is open (Kafka drill-in), or null. */
	partitionsOf: string | null;
	containerSort: ContainerSort;
};

/** The poller's state plus the wall-clock time the newest good data arrived. */
export type FeedState = PollState & {
	/** Milliseconds since the epoch when the newest successful poll came in (by this machine's clock). */
	receivedAt: number | null;
};

/** Where the UI gets its state from and sends its wishes to: the poller in kmon, a fixed state in tests. */
export type Feed = {
	// Properties, not methods: React's useSyncExternalStore is handed them on their own.
	getState: () => FeedState;
	subscribe: (listener: () => void) => () => void;
	/** The screen changed what it needs (tab, tag key, window, width…); the first call starts polling. */
	request(request: ViewRequest): void;
	setPaused(paused: boolean): void;
	/** Poll at once, e.g. after the stack was started. */
	pollNow(): void;
	stop(): void;
};

export const waitingState: FeedState = {
	snapshot: null,
	lastSuccessAt: null,
	error: null,
	domainErrors: {},
	failures: 0,
	nextInMs: 0,
	paused: false,
	skipped: 0,
	receivedAt: null,
};
