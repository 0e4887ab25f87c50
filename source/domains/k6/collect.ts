import type {Result} from '../../prometheus/client.js';
import {type Fetched, fetchAll} from '../../prometheus/fetch-all.js';
import {anyOf} from '../../prometheus/promql.js';
import {emptyHistory, finite, indexHistories, indexSamples, largestFirst, scalarOf, signalOf} from '../../prometheus/series.js';
import type {K6, K6Figures, Window} from '../../snapshot/types.js';
import type {CollectContext} from '../context.js';
import {nextWave} from '../next-wave.js';
import {busiestTagValues, figureQueries, type K6Family, requestSeries, tagValueCount, totalQueries, untaggedRate} from './queries.js';

export type K6Options = {tagKey: string; limit: number};

/** Labels Prometheus or the exporters add; everything else on k6's series is a k6 tag. */
const notTags = new Set(['__name__', 'job', 'instance']);

export type K6Result = {k6: K6; untaggedPerSecond: number | null};

export async function collectK6(context: CollectContext, family: K6Family, options: K6Options): Promise<Result<K6Result>> {
	const {querier, at, window, selection} = context;
	const matcher = selection.k6JobMatcher;
	const range = `${window.rangeSeconds}s`;
	const {tagKey} = options;
	const rowsOf = nextWave(context.choices, 'k6 rows', async (values: string[]) =>
		fetchAll(querier, figureQueries(family, `by (${tagKey})`, [matcher, `${tagKey}=~${anyOf(values)}`].filter(Boolean).join(', '), range), at, window));
	const untaggedOf = nextWave(context.choices, 'k6 untagged', async (tagKeys: string[]) => querier.instant(untaggedRate(family, matcher, tagKeys), at));
	// Asked in the same turn as the figures, so all of them go to Prometheus with the other domains' queries.
	const [labels, totals, extras, busiest, count] = await Promise.all([
		querier.labelNames(requestSeries(family, matcher), new Date(window.start), at),
		fetchAll(querier, figureQueries(family, '', matcher, range), at, window),
		fetchAll(querier, totalQueries(family, matcher, range), at, window),
		querier.instant(busiestTagValues(family, matcher, tagKey, options.limit), at),
		querier.instant(tagValueCount(family, matcher, tagKey), at),
	]);
	for (const result of [labels, totals, extras, busiest, count]) {
		if (!result.ok) {
			return result;
		}
	}

	if (!labels.ok || !totals.ok || !extras.ok || !busiest.ok || !count.ok) {
		throw new Error('unreachable: failures returned above');
	}

	const tagKeys = labels.value.filter(name => !notTags.has(name)).sort();
	const values = largestFirst(busiest.value, [tagKey]).map(sample => sample.labels[tagKey] ?? '');
	const [rows, untagged] = await Promise.all([
		rowsOf(values.length > 0 ? values : undefined),
		untaggedOf(tagKeys.length > 0 ? tagKeys : undefined),
	]);
	if (rows && !rows.ok) {
		return rows;
	}

	if (untagged && !untagged.ok) {
		return untagged;
	}

	const points = window.points;
	const byTag = rows ? tagRows(rows.value, tagKey, values, window) : [];
	const {vus, vusHistory, iterations, iterationsHistory, checksPassed, checksFailed} = extras.value;
	return {
		ok: true,
		value: {
			k6: {
				tagKey,
				tagKeys,
				tagged: tagKeys.length > 0,
				totals: {
					...figures(totals.value, points),
					vus: signalOf(vus, vusHistory, points),
					iterationsPerSecond: signalOf(iterations, iterationsHistory, points),
					checksPassed: scalarOf(checksPassed),
					checksFailed: scalarOf(checksFailed),
				},
				byTag,
				tagValueCount: scalarOf(count.value) ?? 0,
			},
			// With no tag labels at all, every request is untagged.
			untaggedPerSecond: untagged ? scalarOf(untagged.value) : scalarOf(totals.value.rate),
		},
	};
}

type FigureData = Fetched<ReturnType<typeof figureQueries>>;

function figures(data: FigureData, points: number): K6Figures {
	return {
		requestsPerSecond: signalOf(data.rate, data.rateHistory, points),
		failedPercent: signalOf(data.failedPercent, data.failedPercentHistory, points),
		p95Ms: signalOf(data.p95, data.p95History, points),
		p99Ms: signalOf(data.p99, data.p99History, points),
		requests: scalarOf(data.requests),
	};
}

function tagRows(data: FigureData, tagKey: string, values: string[], window: Window) {
	const key = [tagKey];
	const index = {
		rate: indexSamples(data.rate, key),
		rateHistory: indexHistories(data.rateHistory, key),
		failed: indexSamples(data.failedPercent, key),
		failedHistory: indexHistories(data.failedPercentHistory, key),
		p95: indexSamples(data.p95, key),
		p95History: indexHistories(data.p95History, key),
		p99: indexSamples(data.p99, key),
		p99History: indexHistories(data.p99History, key),
		requests: indexSamples(data.requests, key),
	};
	const signal = (value: Map<string, number>, history: Map<string, Array<number | null>>, tag: string) =>
		({value: finite(value.get(tag)), history: history.get(tag) ?? emptyHistory(window.points)});
	return values.map(value => ({
		value,
		requestsPerSecond: signal(index.rate, index.rateHistory, value),
		failedPercent: signal(index.failed, index.failedHistory, value),
		p95Ms: signal(index.p95, index.p95History, value),
		p99Ms: signal(index.p99, index.p99History, value),
		requests: finite(index.requests.get(value)),
	}));
}
