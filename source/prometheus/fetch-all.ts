import type {Window} from '../snapshot/types.js';
import type {RangeSeries, Result, Sample} from './client.js';
import type {Querier} from './querier.js';

export type QuerySpec = Record<string, {instant: string} | {range: string}>;

export type Fetched<S extends QuerySpec> = {
	[K in keyof S]: S[K] extends {range: string} ? RangeSeries[] : Sample[];
};

/** Runs a domain's queries side by side (the client bounds concurrency); the first failure fails them all. */
export async function fetchAll<S extends QuerySpec>(querier: Querier, spec: S, at: Date, window: Window): Promise<Result<Fetched<S>>> {
	const entries = Object.entries(spec);
	const results = await Promise.all(entries.map(async ([, query]) =>
		'range' in query ? querier.range(query.range, window) : querier.instant(query.instant, at)));

	const values: Record<string, unknown> = {};
	for (const [index, [name]] of entries.entries()) {
		const result = results[index]!;
		if (!result.ok) {
			return result;
		}

		values[name] = result.value;
	}

	return {ok: true, value: values as Fetched<S>};
}
