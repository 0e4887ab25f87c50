// Every PromQL expression kmon sends about k6. k6 reaches Prometheus either through statsd_exporter
// (names without `_total`; request durations as a histogram with stack/statsd-mapping.yml, else as
// statsd_exporter's default summary) or through Prometheus remote write (k6's own `_total` names and
// precomputed trend stats). Durations are reported in milliseconds.

import {rateWindow} from '../kafka/queries.js';

export type K6Family = 'statsd-histogram' | 'statsd-summary' | 'prometheus-remote-write';

type Names = {requests: string; failed: string; vus: string; iterations: string};

const names: Record<K6Family, Names> = {
	'statsd-histogram': {requests: 'k6_http_reqs', failed: 'k6_http_req_failed', vus: 'k6_vus', iterations: 'k6_iterations'},
	'statsd-summary': {requests: 'k6_http_reqs', failed: 'k6_http_req_failed', vus: 'k6_vus', iterations: 'k6_iterations'},
	'prometheus-remote-write': {requests: 'k6_http_reqs_total', failed: 'k6_http_req_failed_rate', vus: 'k6_vus', iterations: 'k6_iterations_total'},
};

export function requestSeries(family: K6Family, matcher: string): string {
	return `${names[family].requests}{${matcher}}`;
}

/**
 * `by` is the grouping clause ("" for totals, "by (name)" per tag value); `matcher` narrows series
 * (a job, tag values), without braces.
 */
export function figureQueries(family: K6Family, by: string, matcher: string, range: string) {
	const {requests, failed} = names[family];
	const at = (labels: string) => `{${[matcher, labels].filter(Boolean).join(', ')}}`;
	const rate = `sum ${by} (rate(${requests}${at('')}[${rateWindow}]))`;
	const failedPercent = family === 'prometheus-remote-write'
		// Remote write sends http_req_failed as a ratio (0..1) per label set, already averaged by k6.
		? `100 * avg ${by} (${failed}${at('')})`
		: `100 * sum ${by} (rate(${failed}${at('')}[${rateWindow}])) / ${rate}`;
	return {
		rate: {instant: rate},
		rateHistory: {range: rate},
		failedPercent: {instant: failedPercent},
		failedPercentHistory: {range: failedPercent},
		p95: {instant: quantile(family, 0.95, by, at)},
		p95History: {range: quantile(family, 0.95, by, at)},
		p99: {instant: quantile(family, 0.99, by, at)},
		p99History: {range: quantile(family, 0.99, by, at)},
		requests: {instant: `sum ${by} (${growthOf(`${requests}${at('')}`, range)})`},
	};
}

/**
 * How much a counter grew over the window, exactly. increase() leaves out a series' first sample (and
 * extrapolates), so a series born inside the window, as every new tag value of a run is, lost the requests
 * counted before its first scrape (45 % of an 8-s run in the e2e test). Here it is the last value minus the value
 * at the window's start; a series born inside the window counts whole; a reset inside the window (statsd_exporter
 * restarted) falls back to increase().
 */
function growthOf(series: string, range: string): string {
	const atStart = `${series} offset ${range}`;
	return `(last_over_time(${series}[${range}]) - ${atStart} >= 0) or (increase(${series}[${range}]) and ${atStart}) or last_over_time(${series}[${range}])`;
}

/** Totals only k6 as a whole has. */
export function totalQueries(family: K6Family, matcher: string, range: string) {
	const {vus, iterations} = names[family];
	const at = matcher ? `{${matcher}}` : '';
	return {
		vus: {instant: `sum(${vus}${at})`},
		vusHistory: {range: `sum(${vus}${at})`},
		iterations: {instant: `sum(rate(${iterations}${at}[${rateWindow}]))`},
		iterationsHistory: {range: `sum(rate(${iterations}${at}[${rateWindow}]))`},
		// stack/statsd-mapping.yml turns k6.check.<name>.pass|fail into k6_checks{check, result}; counted
		// over the window like requests, not since the exporter started.
		checksPassed: {instant: `sum(${growthOf(`k6_checks{${[matcher, 'result="pass"'].filter(Boolean).join(', ')}}`, range)})`},
		checksFailed: {instant: `sum(${growthOf(`k6_checks{${[matcher, 'result="fail"'].filter(Boolean).join(', ')}}`, range)})`},
	};
}

/** Requests per second of untagged series: k6 sending without K6_STATSD_ENABLE_TAGS=true. */
export function untaggedRate(family: K6Family, matcher: string, tagKeys: string[]): string {
	const empty = tagKeys.map(key => `${key}=""`);
	return `sum(rate(${names[family].requests}{${[matcher, ...empty].filter(Boolean).join(', ')}}[${rateWindow}]))`;
}

export function tagValueCount(family: K6Family, matcher: string, tagKey: string): string {
	return `count(count by (${tagKey}) (${names[family].requests}{${[matcher, `${tagKey}!=""`].filter(Boolean).join(', ')}}))`;
}

export function busiestTagValues(family: K6Family, matcher: string, tagKey: string, limit: number): string {
	return `topk(${limit}, sum by (${tagKey}) (rate(${names[family].requests}{${[matcher, `${tagKey}!=""`].filter(Boolean).join(', ')}}[${rateWindow}])))`;
}

/** An always-empty result, so a quantile this family lacks shows as unknown, not 0. */
const noSuchQuantile = 'vector(0) unless vector(0)';

function quantile(family: K6Family, q: number, by: string, at: (labels: string) => string): string {
	switch (family) {
		case 'statsd-histogram': {
			const grouping = by ? by.replace(')', ', le)') : 'by (le)';
			return `1000 * histogram_quantile(${q}, sum ${grouping} (rate(k6_http_req_duration_bucket${at('')}[${rateWindow}])))`;
		}

		case 'prometheus-remote-write': {
			return `1000 * max ${by} (k6_http_req_duration_p${Math.round(q * 100)}${at('')})`;
		}

		case 'statsd-summary': {
			// statsd_exporter's default summary has quantiles 0.5, 0.9 and 0.99 only, and summaries cannot be
			// aggregated across label sets: the worst label set's value is shown. Matched by value, since
			// Prometheus 3 rewrites quantile label text.
			return q === 0.99
				? `1000 * max ${by} (k6_http_req_duration${at('quantile=~"0?[.]99(0*)"')})`
				: noSuchQuantile;
		}
	}
}

/** statsd_exporter's own counters of lost k6 samples, over the window. */
export function statsdLossQueries(range: string) {
	return {
		conflicts: {instant: `sum(increase(statsd_exporter_events_conflict_total[${range}]))`},
		drops: {instant: `sum(increase(statsd_exporter_udp_packet_drops_total[${range}]))`},
	};
}
