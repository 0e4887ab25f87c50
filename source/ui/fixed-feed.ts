import type {Feed, FeedState, ViewRequest} from './feed.js';

export type FixedFeed = Feed & {
	/** Every request the screen sent, oldest first. */
	readonly requests: ViewRequest[];
	/** Replace the state, as a poll would: one notification. */
	set(state: FeedState): void;
};

/** A feed that holds what it is given: for component tests and the render benchmark, never for kmon itself. */
export function createFixedFeed(initial: FeedState): FixedFeed {
	const listeners = new Set<() => void>();
	const requests: ViewRequest[] = [];
	let state = initial;
	const set = (next: FeedState) => {
		state = next;
		for (const listener of listeners) {
			listener();
		}
	};

	return {
		requests,
		set,
		getState: () => state,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		request(request) {
			requests.push(request);
		},
		setPaused(paused) {
			set({...state, paused});
		},
		pollNow() {
			// A fixed feed has nothing to poll.
		},
		stop() {
			listeners.clear();
		},
	};
}
