import type {Labels, Result} from './client.js';

/** Prometheus's answer to one query; a scalar cannot go through `label_replace`, so it is told apart. */
export type Answer<T> = {series: T[]; scalar: boolean};

/** Sends one query evaluated at `at` (an instant, or a range window). */
export type SendQuery<T, At> = (query: string, at: At) => Promise<Result<Answer<T>>>;

type Waiting<T> = {query: string; resolve: (result: Result<Answer<T>>) => void};

/** The label each query's series carry inside a batch; removed again before anyone sees them. */
const batchIndexLabel = 'kmon_batch_index';

/** Queries that proved they cannot share a request; bounded so a stream of unusual queries cannot grow it. */
const maxRemembered = 1000;

/**
 * Queries asked for the same evaluation time (or range window) within one turn of the event loop go to
 * Prometheus as one request: each is wrapped in `label_replace` with its position, the results are joined
 * with `or` and split again by that label. Every HTTP request costs kmon about a millisecond of CPU whatever
 * its size, and a poll asks dozens of small queries (bench/README.md): one request per turn is most of the
 * monitor's cost saved.
 *
 * Prometheus answers a failing batch with one error for all of it, so a batch refused as a query (HTTP 400
 * or 422) is asked again query by query, each getting its own answer or error; the queries refused alone,
 * and those answering a scalar, are not batched again. Errors of the connection or the server (unreachable,
 * timeout, auth, 5xx) are the same for every query in the batch and are passed to each as they are.
 */
export class QueryBatcher<T extends {labels: Labels}, At> {
	private waiting = new Map<string, {at: At; queries: Array<Waiting<T>>}>();
	private flushScheduled = false;
	private readonly alone = new Set<string>();

	constructor(
		private readonly send: SendQuery<T, At>,
		private readonly keyOf: (at: At) => string,
		private readonly maxPerRequest: number,
	) {}

	async ask(query: string, at: At): Promise<Result<Answer<T>>> {
		if (this.alone.has(query) || this.maxPerRequest <= 1) {
			return this.send(query, at);
		}

		return new Promise(resolve => {
			const key = this.keyOf(at);
			const entry = this.waiting.get(key) ?? {at, queries: []};
			entry.queries.push({query, resolve});
			this.waiting.set(key, entry);
			if (!this.flushScheduled) {
				this.flushScheduled = true;
				setImmediate(() => {
					this.flush();
				});
			}
		});
	}

	private flush(): void {
		const waiting = this.waiting;
		this.waiting = new Map();
		this.flushScheduled = false;
		for (const {at, queries} of waiting.values()) {
			for (let start = 0; start < queries.length; start += this.maxPerRequest) {
				void this.sendBatch(queries.slice(start, start + this.maxPerRequest), at);
			}
		}
	}

	private async sendBatch(batch: Array<Waiting<T>>, at: At): Promise<void> {
		if (batch.length === 1) {
			const [only] = batch;
			only!.resolve(await this.send(only!.query, at));
			return;
		}

		const result = await this.send(combinedQuery(batch.map(item => item.query)), at);
		if (result.ok) {
			const parts = splitByIndex(result.value.series, batch.length);
			for (const [index, item] of batch.entries()) {
				item.resolve({ok: true, value: {series: parts[index]!, scalar: false}});
			}

			return;
		}

		if (refusedAsQuery(result)) {
			await Promise.all(batch.map(async item => {
				const own = await this.send(item.query, at);
				if (refusedAsQuery(own) || (own.ok && own.value.scalar)) {
					this.remember(item.query);
				}

				item.resolve(own);
			}));
			return;
		}

		for (const item of batch) {
			item.resolve(result);
		}
	}

	private remember(query: string): void {
		if (this.alone.size >= maxRemembered) {
			this.alone.clear();
		}

		this.alone.add(query);
	}
}

/**
 * One PromQL expression answering every query, each series labelled with its query's position. Newlines
 * around each query end any `#` comment in it, so no query can swallow the rest of the batch.
 */
export function combinedQuery(queries: string[]): string {
	return queries
		.map((query, index) => `label_replace(\n${query}\n, "${batchIndexLabel}", "${index}", "", "")`)
		.join(' or ');
}

function refusedAsQuery(result: Result<unknown>): boolean {
	return !result.ok && result.error.kind === 'http' && (result.error.status === 400 || result.error.status === 422);
}

function splitByIndex<T extends {labels: Labels}>(series: T[], count: number): T[][] {
	const parts: T[][] = Array.from({length: count}, () => []);
	for (const item of series) {
		const {[batchIndexLabel]: index, ...labels} = item.labels;
		parts[Number(index)]?.push({...item, labels});
	}

	return parts;
}
