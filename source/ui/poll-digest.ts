import type {FeedState} from './feed.js';

/**
 * What a poll changed on the screen, as text to compare: the feed state without what only measures the poll
 * (its time, requests and bytes, shown as "poll 12ms"; the count of ticks skipped while a poll ran, not shown)
 * or the scrape clock (last scrape times, used only to check the clocks), and without the age, which the header
 * ticks by itself. Two polls with the same digest draw the same screen; a frame costs more than the poll, so
 * the second is not drawn.
 */
export function pollDigest(state: FeedState): string {
	const {snapshot} = state;
	return JSON.stringify({
		...state,
		receivedAt: null,
		skipped: 0,
		snapshot: snapshot && {
			...snapshot,
			prometheus: {...snapshot.prometheus, pollMs: 0, queries: 0, bytes: 0},
			targets: snapshot.targets.map(target => ({...target, lastScrape: null})),
		},
	});
}
