import type {Result, Sample} from './client.js';

/** Prometheus's answer to one instant query; a scalar cannot go through `label_replace`, so it is told apart. */
export type InstantAnswer = {samples: Sample[]; scalar: boolean};

export type SendInstant = (query: string, time: Date) => Promise<Result<InstantAnswer>>;

type Waiting = {query: string; resolve: (result: Result<InstantAnswer>) => void};

/** The label each query's series carry inside a batch; removed again before anyone sees them. */
export const batchIndexLabel = 'kmon_batch_index';

/** Queries that proved they cannot share a request; bounded so a stream of unusual queries cannot grow it. */
const maxRemembered = 1000;

/**
 * Instant queries asked for the same time within one turn of the event loop go to Prometheus as one
 * request: each is wrapped in `label_replace` with its position, the results are joined with `or` and split
 * again by that label. Every HTTP request costs kmon about a millisecond of CPU whatever its size, and a poll
 * asks dozens of small queries (bench/README.md): one request per turn is most of the monitor's cost saved.
 *
 * Prometheus answers a failing batch with one error for all of it, so a batch refused as a query (HTTP 400
 * or 422) is asked again query by query, each getting its own answer or error; the queries refused alone,
 * and those answering a scalar, are not batched again. Errors of the connection or the server (unreachable,
 * timeout, auth, 5xx) are the same for every query in the batch and are passed to each as they are.
 */
export class InstantBatcher {
	private waiting = new Map<number, Waiting[]>();
	private flushScheduled = false;
	private readonly alone = new Set<string>();

	constructor(private readonly send: SendInstant, private readonly maxPerRequest: number) {}

	ask(query: string, time: Date): Promise<Result<InstantAnswer>> {
		if (this.alone.has(query)) {
			return this.send(query, time);
		}

		return new Promise(resolve => {
			const key = time.getTime();
			const list = this.waiting.get(key) ?? [];
			list.push({query, resolve});
			this.waiting.set(key, list);
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
		for (const [key, list] of waiting) {
			for (let start = 0; start < list.length; start += this.maxPerRequest) {
				void this.sendBatch(list.slice(start, start + this.maxPerRequest), new Date(key));
			}
		}
	}

	private async sendBatch(batch: Waiting[], time: Date): Promise<void> {
		if (batch.length === 1) {
			const [only] = batch;
			only!.resolve(await this.send(only!.query, time));
			return;
		}

		const result = await this.send(combinedQuery(batch.map(item => item.query)), time);
		if (result.ok) {
			const parts = splitByIndex(result.value.samples, batch.length);
			for (const [index, item] of batch.entries()) {
				item.resolve({ok: true, value: {samples: parts[index]!, scalar: false}});
			}

			return;
		}

		if (refusedAsQuery(result)) {
			await Promise.all(batch.map(async item => {
				const own = await this.send(item.query, time);
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

function refusedAsQuery(result: Result<unknown>): boolean {
	return !result.ok && result.error.kind === 'http' && (result.error.status === 400 || result.error.status === 422);
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

function splitByIndex(samples: Sample[], count: number): Sample[][] {
	const parts: Sample[][] = Array.from({length: count}, () => []);
	for (const sample of samples) {
		const {[batchIndexLabel]: index, ...labels} = sample.labels;
		parts[Number(index)]?.push({labels, value: sample.value});
	}

	return parts;
}
