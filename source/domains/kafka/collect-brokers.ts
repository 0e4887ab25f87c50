import type {Result} from '../../prometheus/client.js';
import {fetchAll} from '../../prometheus/fetch-all.js';
import {scalarOf, signalOf} from '../../prometheus/series.js';
import type {Brokers} from '../../snapshot/types.js';
import type {CollectContext} from '../context.js';
import {brokerQueries} from './queries.js';

export async function collectBrokers(context: CollectContext): Promise<Result<Brokers>> {
	const {querier, at, window, selection} = context;
	const fetched = await fetchAll(querier, brokerQueries(selection.jmxJobMatcher), at, window);
	if (!fetched.ok) {
		return fetched;
	}

	const data = fetched.value;
	const {points} = window;
	const p99 = (request: string) => {
		const values = data.requestTimes
			.filter(sample => sample.labels['request'] === request && Number(sample.labels['quantile']) === 0.99)
			.map(sample => sample.value)
			.filter(value => Number.isFinite(value));
		return values.length === 0 ? null : Math.max(...values);
	};

	const listed = scalarOf(data.brokers);
	const active = scalarOf(data.activeBrokers);
	return {
		ok: true,
		value: {
			brokers: listed ?? active,
			brokersFrom: listed !== null ? 'kafka_exporter' : (active === null ? null : 'jmx-controller'),
			activeControllers: scalarOf(data.activeControllers),
			underReplicatedPartitions: scalarOf(data.underReplicated),
			offlinePartitions: scalarOf(data.offline),
			messagesInPerSecond: signalOf(data.messagesIn, data.messagesInHistory, points),
			bytesInPerSecond: signalOf(data.bytesIn, data.bytesInHistory, points),
			bytesOutPerSecond: signalOf(data.bytesOut, data.bytesOutHistory, points),
			requestsPerSecond: signalOf(data.requests, data.requestsHistory, points),
			produceP99Ms: p99('Produce'),
			fetchP99Ms: p99('FetchConsumer'),
			heapUsedBytes: signalOf(data.heapUsed, data.heapUsedHistory, points),
			heapMaxBytes: scalarOf(data.heapMax),
			gcSecondsPerSecond: scalarOf(data.gcSeconds),
		},
	};
}
