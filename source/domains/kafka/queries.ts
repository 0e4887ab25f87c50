// Every PromQL expression kmon sends about Kafka. Sources: kafka_exporter (groups, offsets, topic metadata)
// and the JMX exporter on the brokers (broker internals). Rates are per second over `rateWindow`.

export const rateWindow = '1m';

const groupLabels = 'consumergroup, topic';

/**
 * Lag of partitions that have a committed offset. kafka_exporter reports -1 for a partition the group never
 * committed on; those are left out, never summed. A briefly negative lag (offsets read at different
 * moments) counts as 0.
 */
const committedLag = `clamp_min(kafka_consumergroup_lag, 0) and on (${groupLabels}, partition) (kafka_consumergroup_current_offset >= 0)`;

/**
 * Which groups get a row, and the totals over all of them. Work per poll stays bounded however many groups
 * there are: the busiest `limit` by lag, plus every group with a problem (the status counts below return only
 * those) and every group that vanished within the window. `range` is the status window, e.g. "300s".
 */
export function groupSelectionQueries(range: string, limit: number) {
	return {
		busiest: {instant: `topk(${limit}, sum by (${groupLabels}) (${committedLag}))`},
		gone: {instant: `count by (${groupLabels}) (last_over_time(kafka_consumergroup_lag[${range}])) unless on (${groupLabels}) count by (${groupLabels}) (kafka_consumergroup_lag)`},
		groupCount: {instant: `count(count by (${groupLabels}) (kafka_consumergroup_lag))`},
		totalLag: {instant: `sum(${committedLag})`},
		totalLagHistory: {range: `sum(${committedLag})`},
		// Burrow-style evaluation, counted per group and topic on the server so the cost stays flat however
		// many partitions there are. A partition "lags" when its lag never reached zero in the window; these
		// three return only groups with such partitions.
		stalledPartitions: {
			instant: `count by (${groupLabels}) ((min_over_time(kafka_consumergroup_lag[${range}]) > 0) and on (${groupLabels}, partition) (changes(kafka_consumergroup_current_offset[${range}]) == 0))`,
		},
		growingPartitions: {
			instant: `count by (${groupLabels}) ((min_over_time(kafka_consumergroup_lag[${range}]) > 0) and on (${groupLabels}, partition) (deriv(kafka_consumergroup_lag[${range}]) > 0))`,
		},
		rewoundPartitions: {
			instant: `count by (${groupLabels}) ((kafka_consumergroup_current_offset >= 0) < on (${groupLabels}, partition) max_over_time(kafka_consumergroup_current_offset[${range}]))`,
		},
	};
}

/**
 * Details of the chosen groups and their topics: `groups` and `topics` are label matchers such as
 * `consumergroup=~"a|b"`, so every answer is bounded by the rows shown, however many topics the cluster has.
 */
export function groupDetailQueries(range: string, groups: string, topics: string) {
	const lag = `clamp_min(kafka_consumergroup_lag{${groups}}, 0) and on (${groupLabels}, partition) (kafka_consumergroup_current_offset{${groups}} >= 0)`;
	return {
		lag: {instant: `sum by (${groupLabels}) (${lag})`},
		lagHistory: {range: `sum by (${groupLabels}) (${lag})`},
		// Per partition, not kafka_consumergroup_current_offset_sum: that sum counts -1 for uncommitted partitions
		// and kafka_exporter 1.9.0 drops it from some scrapes (a race fixed after 1.9.0).
		consumeRate: {instant: `sum by (${groupLabels}) (rate(kafka_consumergroup_current_offset{${groups}}[${rateWindow}]))`},
		members: {instant: `max by (consumergroup) (kafka_consumergroup_members{${groups}})`},
		laggingPartitions: {instant: `count by (${groupLabels}) (min_over_time(kafka_consumergroup_lag{${groups}}[${range}]) > 0)`},
		produceRate: {instant: `sum by (topic) (rate(kafka_topic_partition_current_offset{${topics}}[${rateWindow}]))`},
		partitions: {instant: `max by (topic) (kafka_topic_partitions{${topics}})`},
	};
}

/** Per-partition detail, for the groups matched by `selector` (a label-matcher list without braces). */
export function partitionQueries(selector: string) {
	return {
		lag: {instant: `kafka_consumergroup_lag{${selector}}`},
		committed: {instant: `kafka_consumergroup_current_offset{${selector}}`},
		// For one group (the UI's drill-in), only the partitions it reads: the whole cluster's would be pulled
		// otherwise (1,050 series at 100 topics of 10 partitions, bench/scale.ts). All groups need them all.
		logEnd: {instant: selector ? `kafka_topic_partition_current_offset and on (topic, partition) kafka_consumergroup_lag{${selector}}` : 'kafka_topic_partition_current_offset'},
	};
}

/** Broker queries; `job` restricts them to the JMX exporter job(s) kmon chose (see families). */
export function brokerQueries(job: string) {
	const on = job ? `{${job}}` : '';
	const allTopics = job ? `{${job}, topic=""}` : '{topic=""}';
	return {
		brokers: {instant: 'max(kafka_brokers)'},
		// Every KRaft controller reports the brokers registered and not fenced: the same figure, so max, not sum.
		activeBrokers: {instant: `max(kafka_controller_kafkacontroller_activebrokercount${on})`},
		activeControllers: {instant: `sum(kafka_controller_kafkacontroller_activecontrollercount${on})`},
		underReplicated: {instant: `sum(kafka_server_replicamanager_underreplicatedpartitions${on})`},
		offline: {instant: `sum(kafka_controller_kafkacontroller_offlinepartitionscount${on})`},
		// The series without a topic label is the broker-wide total.
		messagesIn: {instant: `sum(rate(kafka_server_brokertopicmetrics_messagesin_total${allTopics}[${rateWindow}]))`},
		messagesInHistory: {range: `sum(rate(kafka_server_brokertopicmetrics_messagesin_total${allTopics}[${rateWindow}]))`},
		bytesIn: {instant: `sum(rate(kafka_server_brokertopicmetrics_bytesin_total${allTopics}[${rateWindow}]))`},
		bytesInHistory: {range: `sum(rate(kafka_server_brokertopicmetrics_bytesin_total${allTopics}[${rateWindow}]))`},
		bytesOut: {instant: `sum(rate(kafka_server_brokertopicmetrics_bytesout_total${allTopics}[${rateWindow}]))`},
		bytesOutHistory: {range: `sum(rate(kafka_server_brokertopicmetrics_bytesout_total${allTopics}[${rateWindow}]))`},
		requests: {instant: `sum(rate(kafka_network_requestmetrics_requests_total${on}[${rateWindow}]))`},
		requestsHistory: {range: `sum(rate(kafka_network_requestmetrics_requests_total${on}[${rateWindow}]))`},
		// All quantiles come back; the 0.99 one is picked by value, since Prometheus 3 rewrites label text.
		requestTimes: {instant: `max by (request, quantile) (kafka_network_requestmetrics_totaltimems${job ? `{${job}, ` : '{'}request=~"Produce|FetchConsumer"})`},
		// Heap and GC of the broker's JVM: JMX exporter 1.x names (`jvm_memory_used_bytes`, also what
		// stack/jmx-exporter.yml produces over remote JMX), else the 0.x java agent's (`jvm_memory_bytes_used`).
		heapUsed: {instant: heap('used', job)},
		heapUsedHistory: {range: heap('used', job)},
		heapMax: {instant: heap('max', job)},
		gcSeconds: {instant: `sum(rate(jvm_gc_collection_seconds_sum${on}[${rateWindow}]))`},
	};
}

function heap(kind: 'used' | 'max', job: string): string {
	const selector = `{${[job, 'area="heap"'].filter(Boolean).join(', ')}}`;
	return `sum(jvm_memory_${kind}_bytes${selector}) or sum(jvm_memory_bytes_${kind}${selector})`;
}
