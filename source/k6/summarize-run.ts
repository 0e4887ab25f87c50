// At the end of a run kmon keeps what the run did to the system: a `--json`-schema Snapshot whose window spans
// the run, plus the peaks over that window (a snapshot's instant values are those of the end, when the load is
// already gone; the peaks are what a reader of an old run wants first).

import type {Querier} from '../prometheus/querier.js';
import {minimumStepSeconds} from '../prometheus/window.js';
import {collectSnapshot, allDomains} from '../snapshot/collect.js';
import type {RunMarker, Snapshot} from '../snapshot/types.js';

export type TagPeak = {
	value: string;
	/** Requests in the window. */
	requests: number | null;
	peakRequestsPerSecond: number | null;
	peakP95Ms: number | null;
	peakP99Ms: number | null;
	peakFailedPercent: number | null;
};

export type RunPeaks = {
	k6: {
		requests: number | null;
		peakRequestsPerSecond: number | null;
		peakVus: number | null;
		peakP95Ms: number | null;
		peakFailedPercent: number | null;
		tagKey: string;
		byTag: TagPeak[];
	} | null;
	groups: Array<{group: string; topic: string; peakLag: number | null; lagAtEnd: number | null}>;
	/** `id` is cAdvisor's cgroup id: two containers can share a name (e.g. two stacks on one host). */
	containers: Array<{name: string; id: string; peakCpuPercent: number | null; peakMemoryBytes: number | null; memoryLimitBytes: number | null}>;
};

/** summary.json: a Snapshot (schema 1, readable by anything that reads `kmon --once --json`) plus the peaks. */
export type RunSummary = Snapshot & {peaks: RunPeaks};

export type SummaryOptions = {
	/** Prometheus URL without credentials, for the report. */
	url: string;
	tagKey: string;
	/** Rows per table, busiest first. */
	limit?: number;
};

export type SummaryWindow = {rangeMs: number; points: number; evaluateAt: Date};

/**
 * The window collectSnapshot is asked for, chosen so that windowFor() gives back exactly a window that starts
 * before the run and ends on the step at or after `coverUntil` ('up') or before it ('down'): the range is a whole
 * number of steps and the evaluation time is itself on a step, because windowFor aligns the end down to its step.
 * About 60 points for any length of run.
 */
export function summaryWindow(startedAt: Date, coverUntil: Date, align: 'up' | 'down' = 'up'): SummaryWindow {
	const startSeconds = Math.floor(startedAt.getTime() / 1000);
	const untilSeconds = Math.ceil(coverUntil.getTime() / 1000);
	// A whole number of 5-s grains: collectSnapshot evaluates current values (the run's request count among them)
	// at its time aligned down to 5 s, which must be the window's end itself, not a few seconds before it.
	const step = minimumStepSeconds * Math.max(1, Math.ceil((untilSeconds - startSeconds) / 58 / minimumStepSeconds));
	const endSeconds = (align === 'up' ? Math.ceil(untilSeconds / step) : Math.floor(untilSeconds / step)) * step;
	const points = Math.max(2, Math.ceil((endSeconds - startSeconds) / step) + 1);
	return {rangeMs: points * step * 1000, points, evaluateAt: new Date(endSeconds * 1000)};
}

export type SummarizeOptions = SummaryOptions & {
	/** Longest wait for Prometheus to scrape after the run ended. */
	maxWaitMs: number;
	/**
	 * Longest wait for the next step boundary, so the window's end (aligned to its step) covers the run's end.
	 * Short runs have 5 s steps and wait at most that; a long run's step is longer, and rather than wait for it
	 * the window ends one step early (under 2 % of the run).
	 */
	maxAlignWaitMs?: number;
	/** Skips the summary (the user quit while it was pending): waits end at once and it rejects. */
	signal?: AbortSignal;
};

/**
 * Waits for Prometheus to hold the run's last samples, then takes the snapshot of the run's window. Resolves
 * with a summary even when Prometheus is down: the snapshot then says so (it is data, not an exception).
 */
export async function summarizeRun(querier: Querier, run: RunMarker & {endedAt: string}, options: SummarizeOptions): Promise<RunSummary> {
	const endedAt = new Date(run.endedAt);
	const scrape = await waitForScrapes(querier, endedAt, options.maxWaitMs, 1000, options.signal);
	const coverUntil = scrape.scrapedAt && scrape.scrapedAt > endedAt ? scrape.scrapedAt : endedAt;
	let window = summaryWindow(new Date(run.startedAt), coverUntil);
	const wait = window.evaluateAt.getTime() - Date.now();
	if (wait > (options.maxAlignWaitMs ?? 10_000)) {
		window = summaryWindow(new Date(run.startedAt), coverUntil, 'down');
	} else if (wait > 0 && scrape.answered) {
		await sleep(wait, options.signal);
	}

	options.signal?.throwIfAborted();

	const snapshot = await collectSnapshot(querier, {
		url: options.url,
		domains: allDomains,
		rangeMs: window.rangeMs,
		points: window.points,
		tagKey: options.tagKey,
		partitions: 'none',
		containerSort: 'cpu',
		limit: options.limit ?? 100,
	}, window.evaluateAt);
	return {...snapshot, runs: [run], peaks: peaksOf(snapshot)};
}

export function peaksOf(snapshot: Snapshot): RunPeaks {
	const k6 = snapshot.k6.state === 'ok' ? snapshot.k6.data : null;
	return {
		k6: k6 && {
			requests: k6.totals.requests,
			peakRequestsPerSecond: peak(k6.totals.requestsPerSecond.history),
			peakVus: peak(k6.totals.vus.history),
			peakP95Ms: peak(k6.totals.p95Ms.history),
			peakFailedPercent: peak(k6.totals.failedPercent.history),
			tagKey: k6.tagKey,
			byTag: k6.byTag.map(row => ({
				value: row.value,
				requests: row.requests,
				peakRequestsPerSecond: peak(row.requestsPerSecond.history),
				peakP95Ms: peak(row.p95Ms.history),
				peakP99Ms: peak(row.p99Ms.history),
				peakFailedPercent: peak(row.failedPercent.history),
			})),
		},
		groups: snapshot.kafka.state === 'ok'
			? snapshot.kafka.data.groups.map(group => ({group: group.group, topic: group.topic, peakLag: peak(group.lag.history), lagAtEnd: group.lag.value}))
			: [],
		containers: snapshot.containers.state === 'ok'
			? snapshot.containers.data.containers.map(container => ({
				name: container.name,
				id: container.id,
				peakCpuPercent: peak(container.cpuPercent.history),
				peakMemoryBytes: peak(container.memoryWorkingSetBytes.history),
				memoryLimitBytes: container.memoryLimitBytes,
			}))
			: [],
	};
}

/** Highest known point; null when every point is unknown (never 0: unknown is not zero). */
export function peak(history: Array<number | null>): number | null {
	let highest: number | null = null;
	for (const value of history) {
		if (value !== null && Number.isFinite(value) && (highest === null || value > highest)) {
			highest = value;
		}
	}

	return highest;
}

export type ScrapeWait = {
	/** Latest scrape of the healthy targets once all were scraped after the run, else null. */
	scrapedAt: Date | null;
	/** Whether Prometheus answered at all. */
	answered: boolean;
};

/**
 * Waits until Prometheus has scraped every healthy target after `after`, so the run's last samples (sent to
 * statsd_exporter up to k6's exit) are in the summary; gives up after `maxWaitMs` (the summary then holds what
 * there is), and at once when Prometheus does not answer.
 */
export async function waitForScrapes(querier: Querier, after: Date, maxWaitMs: number, pollMs = 1000, signal?: AbortSignal): Promise<ScrapeWait> {
	const deadline = Date.now() + maxWaitMs;
	for (;;) {
		signal?.throwIfAborted();
		const targets = await querier.targets();
		if (!targets.ok) {
			// Waiting will not help, and the snapshot will say what is wrong.
			return {scrapedAt: null, answered: false};
		}

		const scrapes = targets.value.filter(target => target.health === 'up').map(target => target.lastScrape === null ? 0 : Date.parse(target.lastScrape));
		if (scrapes.length > 0 && scrapes.every(time => time > after.getTime())) {
			return {scrapedAt: new Date(Math.max(...scrapes)), answered: true};
		}

		if (Date.now() + pollMs > deadline) {
			return {scrapedAt: null, answered: true};
		}

		await sleep(pollMs, signal);
	}
}

async function sleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
	await new Promise<void>(resolve => {
		const timer = setTimeout(done, milliseconds);
		function done() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', done);
			resolve();
		}

		signal?.addEventListener('abort', done, {once: true});
	});
}
