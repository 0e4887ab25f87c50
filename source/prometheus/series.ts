import type {History, Signal} from '../snapshot/types.js';
import type {Labels, RangeSeries, Sample} from './client.js';

/** A key made of the values of `names`, to join results of different queries on the same labels. */
export function keyOf(labels: Labels, names: readonly string[]): string {
	return names.map(name => labels[name] ?? '').join('\u0000');
}

export function indexSamples(samples: Sample[], names: readonly string[]): Map<string, number> {
	return new Map(samples.map(sample => [keyOf(sample.labels, names), sample.value]));
}

export function indexHistories(series: RangeSeries[], names: readonly string[]): Map<string, History> {
	return new Map(series.map(item => [keyOf(item.labels, names), item.history]));
}

/** Non-finite numbers (NaN from 0/0, ±Inf) are unknown, not values. */
export function finite(value: number | undefined): number | null {
	return value === undefined || !Number.isFinite(value) ? null : value;
}

export function emptyHistory(points: number): History {
	return Array.from({length: points}, () => null);
}

/** The single value of an aggregate query (`sum(…)`), null when Prometheus returned nothing. */
export function scalarOf(samples: Sample[]): number | null {
	return finite(samples[0]?.value);
}

export function signalOf(samples: Sample[], series: RangeSeries[], points: number): Signal {
	return {value: scalarOf(samples), history: series[0]?.history ?? emptyHistory(points)};
}

/**
 * A topk answer, largest first (ties by `names`). The order series come back in is not part of the query API:
 * Prometheus keeps topk's, VictoriaMetrics orders series by their labels, inside a batch's `or` too.
 */
export function largestFirst(samples: Sample[], names: readonly string[]): Sample[] {
	return [...samples].sort((a, b) => b.value - a.value || keyOf(a.labels, names).localeCompare(keyOf(b.labels, names)));
}
