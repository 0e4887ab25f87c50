import type {Result} from '../../prometheus/client.js';
import {fetchAll} from '../../prometheus/fetch-all.js';
import {quoteLabelValue} from '../../prometheus/promql.js';
import {finite, indexHistories, indexSamples, keyOf} from '../../prometheus/series.js';
import type {ConsumerGroup, PartitionLag, Window} from '../../snapshot/types.js';
import type {CollectContext} from '../context.js';
import {groupStatus, lagTrend, secondsToDrain} from './group-status.js';
import {groupQueries, partitionQueries} from './queries.js';

const groupKey = ['consumergroup', 'topic'] as const;

export async function collectGroups(context: CollectContext): Promise<Result<ConsumerGroup[]>> {
	const {querier, at, window} = context;
	const windowText = `${Math.round(window.rangeSeconds / 60)}m`;
	const fetched = await fetchAll(querier, groupQueries(`${window.rangeSeconds}s`), at, window);
	if (!fetched.ok) {
		return fetched;
	}

	const data = fetched.value;
	const lag = indexSamples(data.lag, groupKey);
	const histories = indexHistories(data.lagHistory, groupKey);
	const consume = indexSamples(data.consumeRate, groupKey);
	const produce = indexSamples(data.produceRate, ['topic']);
	const members = indexSamples(data.members, ['consumergroup']);
	const partitions = indexSamples(data.partitions, ['topic']);
	const counts = {
		lagging: indexSamples(data.laggingPartitions, groupKey),
		stalled: indexSamples(data.stalledPartitions, groupKey),
		growing: indexSamples(data.growingPartitions, groupKey),
		rewound: indexSamples(data.rewoundPartitions, groupKey),
	};

	// A group seen earlier in the window but not now is gone; it keeps its history and is never lag 0.
	const labelsByKey = new Map([...data.lagHistory, ...data.lag].map(item => [keyOf(item.labels, groupKey), item.labels]));
	const groups: ConsumerGroup[] = [...labelsByKey].map(([key, labels]) => {
		const group = labels['consumergroup'] ?? '';
		const topic = labels['topic'] ?? '';
		const currentLag = lag.has(key) ? finite(lag.get(key)) : null;
		const gone = !lag.has(key);
		const history = histories.get(key) ?? Array.from({length: window.points}, () => null);
		const memberCount = finite(members.get(group));
		const consumeRate = gone ? null : finite(consume.get(key));
		const produceRate = finite(produce.get(topic));
		const trend = gone ? null : lagTrend(history, window.stepSeconds);
		const status = groupStatus({
			counts: {
				lagging: counts.lagging.get(key) ?? 0,
				stalled: counts.stalled.get(key) ?? 0,
				growing: counts.growing.get(key) ?? 0,
				rewound: counts.rewound.get(key) ?? 0,
			},
			members: memberCount,
			gone,
			windowText,
		});
		return {
			group,
			topic,
			status: status.status,
			statusReason: status.reason,
			lag: {value: currentLag, history},
			trend: trend?.trend ?? null,
			secondsToDrain: trend?.trend === 'draining' ? secondsToDrain(currentLag, consumeRate, produceRate) : null,
			consumeRate,
			produceRate,
			members: memberCount,
			partitions: finite(partitions.get(topic)),
			partitionLags: [],
			lastSeen: gone ? lastSeen(history, window) : null,
		};
	});

	return {ok: true, value: groups.sort((a, b) => a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic))};
}

/** Fills in per-partition lag for the groups named (all groups when `only` is undefined). */
export async function collectPartitions(context: CollectContext, groups: ConsumerGroup[], only?: string): Promise<Result<ConsumerGroup[]>> {
	const selector = only === undefined ? '' : `consumergroup=${quoteLabelValue(only)}`;
	const fetched = await fetchAll(context.querier, partitionQueries(selector), context.at, context.window);
	if (!fetched.ok) {
		return fetched;
	}

	const partitionKey = ['consumergroup', 'topic', 'partition'] as const;
	const committed = indexSamples(fetched.value.committed, partitionKey);
	const logEnd = indexSamples(fetched.value.logEnd, ['topic', 'partition']);
	const byGroup = new Map<string, PartitionLag[]>();
	for (const sample of fetched.value.lag) {
		const key = keyOf(sample.labels, groupKey);
		const offset = finite(committed.get(keyOf(sample.labels, partitionKey)));
		// -1 is kafka_exporter's "no committed offset", for lag and offset alike.
		const hasCommit = offset !== null && offset >= 0;
		const list = byGroup.get(key) ?? [];
		list.push({
			partition: Number(sample.labels['partition']),
			lag: hasCommit ? Math.max(0, sample.value) : null,
			committedOffset: hasCommit ? offset : null,
			logEndOffset: finite(logEnd.get(keyOf(sample.labels, ['topic', 'partition']))),
		});
		byGroup.set(key, list);
	}

	return {
		ok: true,
		value: groups.map(group => ({
			...group,
			partitionLags: (byGroup.get(keyOf({consumergroup: group.group, topic: group.topic}, groupKey)) ?? [])
				.sort((a, b) => a.partition - b.partition),
		})),
	};
}

function lastSeen(history: Array<number | null>, window: Window): string | null {
	const index = history.findLastIndex(value => value !== null);
	return index === -1 ? null : new Date(Date.parse(window.start) + (index * window.stepSeconds * 1000)).toISOString();
}
