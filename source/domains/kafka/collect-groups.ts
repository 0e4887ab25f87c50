import type {Result} from '../../prometheus/client.js';
import {type Fetched, fetchAll} from '../../prometheus/fetch-all.js';
import {anyOf, quoteLabelValue} from '../../prometheus/promql.js';
import {finite, indexHistories, indexSamples, keyOf, scalarOf, signalOf} from '../../prometheus/series.js';
import type {ConsumerGroup, PartitionLag, Signal, Window} from '../../snapshot/types.js';
import type {CollectContext} from '../context.js';
import {nextWave} from '../next-wave.js';
import {groupStatus, lagTrend, secondsToDrain} from './group-status.js';
import {groupDetailQueries, groupSelectionQueries, partitionQueries} from './queries.js';

const groupKey = ['consumergroup', 'topic'] as const;

export type GroupsResult = {groups: ConsumerGroup[]; groupCount: number | null; totalLag: Signal};

export async function collectGroups(context: CollectContext, limit: number): Promise<Result<GroupsResult>> {
	const {querier, at, window} = context;
	const windowText = `${Math.round(window.rangeSeconds / 60)}m`;
	const range = `${window.rangeSeconds}s`;
	const details = nextWave(context.choices, 'kafka groups', async ({groups, topics}: {groups: string[]; topics: string[]}) =>
		fetchAll(querier, groupDetailQueries(range, `consumergroup=~${anyOf(groups)}`, `topic=~${anyOf(topics)}`), at, window));
	const selected = await fetchAll(querier, groupSelectionQueries(range, limit), at, window);
	if (!selected.ok) {
		return selected;
	}

	const chosen = selected.value;
	const counts = {
		stalled: indexSamples(chosen.stalledPartitions, groupKey),
		growing: indexSamples(chosen.growingPartitions, groupKey),
		rewound: indexSamples(chosen.rewoundPartitions, groupKey),
	};
	const rows = [...chosen.busiest, ...chosen.gone, ...chosen.stalledPartitions, ...chosen.growingPartitions, ...chosen.rewoundPartitions];
	const names = [...new Set(rows.map(sample => sample.labels['consumergroup'] ?? ''))].sort();
	const topics = [...new Set(rows.map(sample => sample.labels['topic'] ?? ''))].sort();
	const totals = {
		groupCount: scalarOf(chosen.groupCount) ?? 0,
		totalLag: signalOf(chosen.totalLag, chosen.totalLagHistory, window.points),
	};
	const fetched = await details(names.length > 0 ? {groups: names, topics} : undefined);
	if (!fetched) {
		return {ok: true, value: {groups: [], ...totals}};
	}

	if (!fetched.ok) {
		return fetched;
	}

	const data = fetched.value;
	const lag = indexSamples(data.lag, groupKey);
	const histories = indexHistories(data.lagHistory, groupKey);
	const consume = indexSamples(data.consumeRate, groupKey);
	const lagging = indexSamples(data.laggingPartitions, groupKey);
	const produce = indexSamples(data.produceRate, ['topic']);
	const members = indexSamples(data.members, ['consumergroup']);
	const partitions = indexSamples(data.partitions, ['topic']);

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
				lagging: lagging.get(key) ?? 0,
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

	return {ok: true, value: {groups: groups.sort((a, b) => a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic)), ...totals}};
}

/**
 * Per-partition lag for one group, or (when `only` is undefined) for every group that has a row. Returns what
 * fills it in once the groups are known; made before they are, so its queries can go out with theirs.
 */
export function partitionLagsFor(context: CollectContext, only?: string): (groups: ConsumerGroup[]) => Promise<Result<ConsumerGroup[]>> {
	const {querier, at, window} = context;
	const partitions = nextWave(context.choices, 'kafka partitions', async (selector: string) =>
		fetchAll(querier, partitionQueries(selector), at, window));
	return async groups => {
		const selector = only === undefined
			? `consumergroup=~${anyOf([...new Set(groups.map(group => group.group))])}`
			: `consumergroup=${quoteLabelValue(only)}`;
		const fetched = await partitions(groups.length > 0 ? selector : undefined);
		return fetched ? withPartitions(groups, fetched) : {ok: true, value: groups};
	};
}

function withPartitions(groups: ConsumerGroup[], fetched: Result<Fetched<ReturnType<typeof partitionQueries>>>): Result<ConsumerGroup[]> {
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
