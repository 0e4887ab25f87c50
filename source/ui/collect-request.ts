import {allDomains, type CollectOptions} from '../snapshot/collect.js';
import type {DomainName} from '../snapshot/types.js';
import type {TabId, ViewRequest} from './feed.js';

/** Rows per table fetched from Prometheus; the screen shows as many as fit and `/` filters among them. */
export const rowLimit = 100;

/** Each tab asks only for its own domains; Overview shows all of them. */
export function domainsForTab(tab: TabId): readonly DomainName[] {
	return tab === 'overview' ? allDomains : [tab];
}

export function collectOptionsFor(request: ViewRequest, url: string): CollectOptions {
	return {
		url,
		domains: domainsForTab(request.tab),
		rangeMs: request.rangeMs,
		points: request.points,
		tagKey: request.tagKey,
		partitions: request.tab === 'kafka' && request.partitionsOf !== null ? {group: request.partitionsOf} : 'none',
		containerSort: request.containerSort,
		limit: rowLimit,
	};
}

/** Two requests that would send the same queries are the same request. */
export function sameRequest(a: ViewRequest, b: ViewRequest): boolean {
	return a.tab === b.tab && a.tagKey === b.tagKey && a.rangeMs === b.rangeMs && a.points === b.points
		&& a.partitionsOf === b.partitionsOf && a.containerSort === b.containerSort;
}
