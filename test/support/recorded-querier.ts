import type {RangeSeries, Result, Sample} from '../../source/prometheus/client.js';
import type {Querier} from '../../source/prometheus/querier.js';
import type {Target, Window} from '../../source/snapshot/types.js';

/** One Prometheus exchange as kmon saw it (after the client's parsing), keyed by what was asked. */
export type RecordedCall = {method: keyof Querier; key: string; result: Result<unknown>};

export type Recording = {
	/** What produced it: component versions, command, time. */
	about: Record<string, string>;
	/** The `now` the snapshot was collected at, so a replay asks for exactly the same windows. */
	now: string;
	calls: RecordedCall[];
};

const keyOf = (...parts: unknown[]) => JSON.stringify(parts);

/** Wraps a real querier and keeps every call and its result. */
export function recordingQuerier(inner: Querier): {querier: Querier; calls: RecordedCall[]} {
	const calls: RecordedCall[] = [];
	const keep = async <T>(method: keyof Querier, key: string, call: Promise<Result<T>>) => {
		const result = await call;
		calls.push({method, key, result});
		return result;
	};

	return {
		calls,
		querier: {
			instant: async (query, time) => keep('instant', keyOf(query, time.toISOString()), inner.instant(query, time)),
			range: async (query, window) => keep('range', keyOf(query, window), inner.range(query, window)),
			labelNames: async (match, start, end) => keep('labelNames', keyOf(match, start.toISOString(), end.toISOString()), inner.labelNames(match, start, end)),
			targets: async () => keep('targets', '', inner.targets()),
			version: async () => keep('version', '', inner.version()),
		},
	};
}

/**
 * Answers from a recording. JSON turned the client's infinities and NaN into null; they come back as NaN,
 * which collectors treat as unknown exactly as they treat a non-finite value.
 */
export function replayingQuerier(recording: Recording): Querier {
	const answers = new Map(recording.calls.map(call => [`${call.method}:${call.key}`, call.result]));
	const answer = <T>(method: keyof Querier, key: string): Result<T> => {
		const result = answers.get(`${method}:${key}`);
		if (!result) {
			throw new Error(`the recording has no answer for ${method} ${key}: re-record with npm run stack:record`);
		}

		return revive(result) as Result<T>;
	};

	return {
		instant: async (query: string, time: Date) => answer<Sample[]>('instant', keyOf(query, time.toISOString())),
		range: async (query: string, window: Window) => answer<RangeSeries[]>('range', keyOf(query, window)),
		labelNames: async (match: string, start: Date, end: Date) => answer<string[]>('labelNames', keyOf(match, start.toISOString(), end.toISOString())),
		targets: async () => answer<Target[]>('targets', ''),
		version: async () => answer<string>('version', ''),
	};
}

function revive(result: Result<unknown>): Result<unknown> {
	if (!result.ok || !Array.isArray(result.value)) {
		return result;
	}

	return {
		ok: true,
		value: result.value.map(item => typeof item === 'object' && item !== null && 'value' in item && item.value === null
			? {...item, value: Number.NaN}
			: item),
	};
}
