import type {Result} from '../prometheus/client.js';
import type {Querier} from '../prometheus/querier.js';
import type {Diagnostic, QueryError, Target} from '../snapshot/types.js';

export const targetQueries = {
	health: 'up',
	scrapedAt: 'timestamp(up)',
};

/** Where the last poll found target health: kept by a caller that polls, so the next one asks there first. */
export type TargetsMemo = {fromUp?: Diagnostic | undefined};

export type TargetsFound = {targets: Target[]; diagnostics: Diagnostic[]};

/**
 * Scrape targets and their health. Prometheus lists them in /api/v1/targets, and so does Thanos Query (its
 * stores' targets, deduplicated by the replica label). Other backends have no such list of the targets behind
 * their data: Mimir and VictoriaMetrics cluster do not serve the endpoint, and a backend fed by remote write
 * (VictoriaMetrics, a receiving Prometheus) lists no targets of its own. Every scrape also writes an `up` series
 * (1 up, 0 down) into the data, so health comes from there, said once as a diagnostic, without the scrape errors
 * only the scraper knows. A snapshot of a past time (`at` before now, --at) always reads `up`: the list only
 * knows the present.
 */
export async function collectTargets(querier: Querier, at: Date, options: {past: boolean; memo?: TargetsMemo}): Promise<Result<TargetsFound>> {
	if (options.past) {
		return fromUp(querier, at, []);
	}

	if (options.memo?.fromUp) {
		return fromUp(querier, at, [options.memo.fromUp]);
	}

	const listed = await querier.targets();
	if (listed.ok && listed.value.length > 0) {
		return {ok: true, value: {targets: listed.value, diagnostics: []}};
	}

	if (!listed.ok && !isMissingEndpoint(listed.error)) {
		return listed;
	}

	const reason = listed.ok
		? 'lists no scrape targets of its own but holds their up series (it is fed by remote write or agents)'
		: `has no Prometheus targets API (/api/v1/targets answered HTTP ${listed.error.status})`;
	const diagnostic: Diagnostic = {
		id: 'targets-from-up',
		severity: 'info',
		area: 'prometheus',
		message: `the backend ${reason}: target health comes from the up series, without scrape errors`,
		fix: 'nothing to do; for the scrape errors, open the targets page of the Prometheus or agent that scrapes',
	};
	const found = await fromUp(querier, at, [diagnostic]);
	if (found.ok && found.value.targets.length === 0) {
		// No up series either: a backend with nothing scraped yet, not one that keeps its targets elsewhere.
		return listed.ok ? {ok: true, value: {targets: [], diagnostics: []}} : found;
	}

	if (found.ok && options.memo) {
		options.memo.fromUp = diagnostic;
	}

	return found;
}

/** What backends answer for an endpoint they do not have: Prometheus and Thanos 404, VictoriaMetrics 400. */
function isMissingEndpoint(error: QueryError): boolean {
	return error.kind === 'http' && [400, 404, 405, 501].includes(error.status ?? 0);
}

async function fromUp(querier: Querier, at: Date, diagnostics: Diagnostic[]): Promise<Result<TargetsFound>> {
	const [health, scrapedAt] = await Promise.all([querier.instant(targetQueries.health, at), querier.instant(targetQueries.scrapedAt, at)]);
	if (!health.ok) {
		return health;
	}

	if (!scrapedAt.ok) {
		return scrapedAt;
	}

	const keyOf = ({__name__: _name, ...labels}: Record<string, string>) => JSON.stringify(Object.entries(labels).sort());
	const times = new Map(scrapedAt.value.map(sample => [keyOf(sample.labels), sample.value]));
	const targets = health.value.map(sample => {
		const seconds = times.get(keyOf(sample.labels));
		return {
			job: sample.labels['job'] ?? '',
			instance: sample.labels['instance'] ?? '',
			health: sample.value === 1 ? 'up' as const : (sample.value === 0 ? 'down' as const : 'unknown' as const),
			lastError: null,
			lastScrape: seconds === undefined ? null : new Date(seconds * 1000).toISOString(),
		};
	}).sort((a, b) => a.job.localeCompare(b.job) || a.instance.localeCompare(b.instance));
	return {ok: true, value: {targets, diagnostics}};
}
