import type {Target, Window} from '../snapshot/types.js';
import type {RangeSeries, Result, Sample} from './client.js';

/** What collectors need from Prometheus; the real client, a recorder and a fixture replayer all provide it. */
export type Querier = {
	instant(query: string, time: Date): Promise<Result<Sample[]>>;
	range(query: string, window: Window): Promise<Result<RangeSeries[]>>;
	labelNames(match: string, start: Date, end: Date): Promise<Result<string[]>>;
	targets(): Promise<Result<Target[]>>;
	version(): Promise<Result<string>>;
};
