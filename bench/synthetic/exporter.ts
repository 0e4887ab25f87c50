// A synthetic exporter for the scale benchmark (bench/scale.ts): one process serves, on loopback, what the
// real exporters of the kmon stack serve, in their metric names and label sets, at a chosen size:
//
//   port base+0  cAdvisor         container_* with Docker `id`/`name`/`image` and compose labels, cpu="total"
//   port base+1  kafka_exporter   kafka_brokers, kafka_topic_*, kafka_consumergroup_* (lag that moves)
//   port base+2  statsd_exporter  k6_* as stack/statsd-mapping.yml maps them (histograms), one label per k6 tag
//   port base+3… JMX exporter 1.x one port per broker: kafka_server_*, kafka_network_*, kafka_controller_*, jvm_*
//
// Counters increase plausibly (a steady rate with a slow wave, never decreasing), gauges move, and consumer
// groups behave like Burrow's cases: most keep up (lag touches 0), some fall behind, some stall, some stop,
// a few have a partition without a committed offset (-1). Everything is computed from the clock and a seeded
// random generator, so two runs of one size serve the same series.
//
// Usage: node --import tsx bench/synthetic/exporter.ts --size small|medium|large [--port-base 19400] [--exit-with-stdin]
// Prints one line `ready {"cadvisor":…}` on stdout once every port listens. Not gzip-compressed (loopback).
import http from 'node:http';
import process from 'node:process';
import {pathToFileURL} from 'node:url';

export type SizeName = 'small' | 'medium' | 'large';

export type Size = {
	name: SizeName;
	/** Docker containers (plus a few raw cgroups without Docker labels, and the root cgroup). */
	containers: number;
	groups: number;
	partitions: number;
	/** Distinct values of the k6 `name` tag. */
	tagValues: number;
	brokers: number;
};

export const sizes: Record<SizeName, Size> = {
	small: {name: 'small', containers: 10, groups: 10, partitions: 10, tagValues: 10, brokers: 1},
	medium: {name: 'medium', containers: 100, groups: 100, partitions: 10, tagValues: 200, brokers: 3},
	large: {name: 'large', containers: 1000, groups: 500, partitions: 10, tagValues: 1000, brokers: 3},
};

/** Consumer groups per topic: group i reads topic floor(i / groupsPerTopic). */
export const groupsPerTopic = 5;

export type Ports = {cadvisor: number; kafkaExporter: number; statsdExporter: number; jmx: number[]};

export function portsFor(size: Size, base: number): Ports {
	return {
		cadvisor: base,
		kafkaExporter: base + 1,
		statsdExporter: base + 2,
		jmx: Array.from({length: size.brokers}, (_, index) => base + 3 + index),
	};
}

// --- deterministic randomness and shapes over time ------------------------------------------------------

function generator(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6D_2B_79_F5) >>> 0;
		let mixed = state;
		mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
		mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
		return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
	};
}

const started = Date.now();
/** Seconds of "uptime": the exporters pretend to have run for an hour already, so counters have history. */
const clock = () => ((Date.now() - started) / 1000) + 3600;

/**
 * The integral of rate × (1 + amplitude × cos(2πt/period + phase)): a counter whose rate moves in a slow wave
 * but never drops below (1 − amplitude) × rate, so it only ever increases.
 */
function counter(t: number, rate: number, period: number, phase: number, amplitude = 0.3): number {
	const omega = (2 * Math.PI) / period;
	return rate * (t + (amplitude * Math.sin((omega * t) + phase) / omega));
}

function wave(t: number, period: number, phase: number): number {
	return Math.sin(((2 * Math.PI * t) / period) + phase);
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26 for erf). */
function normalCdf(x: number): number {
	const z = Math.abs(x) / Math.SQRT2;
	const k = 1 / (1 + (0.327_591_1 * z));
	const poly = k * (0.254_829_592 + (k * (-0.284_496_736 + (k * (1.421_413_741 + (k * (-1.453_152_027 + (k * 1.061_405_429))))))));
	const erf = 1 - (poly * Math.exp(-z * z));
	return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

function hex(random: () => number, length: number): string {
	let text = '';
	while (text.length < length) {
		text += Math.floor(random() * 16).toString(16);
	}

	return text;
}

function labels(pairs: Record<string, string>): string {
	const inner = Object.entries(pairs).map(([key, value]) => `${key}="${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',');
	return inner ? `{${inner}}` : '';
}

/** Collects one scrape's text; `family` writes the HELP/TYPE header once per metric name. */
class Exposition {
	readonly parts: string[] = [];

	family(name: string, type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped', help: string): void {
		this.parts.push(`# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`);
	}

	sample(name: string, labelText: string, value: number, timestampMs?: number): void {
		this.parts.push(`${name}${labelText} ${formatValue(value)}${timestampMs === undefined ? '' : ` ${timestampMs}`}\n`);
	}

	text(): string {
		return this.parts.join('');
	}
}

function formatValue(value: number): string {
	if (Number.isInteger(value)) {
		return String(value);
	}

	return Number.isFinite(value) ? String(Number(value.toPrecision(12))) : (value > 0 ? '+Inf' : (value < 0 ? '-Inf' : 'NaN'));
}

// --- cAdvisor ----------------------------------------------------------------------------------------------

const services = ['api', 'worker', 'web', 'postgres', 'redis', 'kafka-connect', 'auth', 'search', 'billing', 'notifier', 'gateway', 'scheduler', 'ingest', 'reports', 'cart', 'catalog', 'payments', 'inventory', 'mailer', 'frontend'];
const rawCgroups = ['/', '/init.scope', '/system.slice', '/system.slice/containerd.service', '/system.slice/docker.service', '/system.slice/ssh.service', '/system.slice/systemd-journald.service', '/system.slice/cron.service', '/user.slice', '/kubepods.slice'];

type Cgroup = {
	labels: Record<string, string>;
	cpuCores: number;
	cpuPeriod: number;
	phase: number;
	memoryBytes: number;
	limitBytes: number;
	networkBytesPerSecond: number;
	diskBytesPerSecond: number;
	startTime: number;
	docker: boolean;
	skewMs: number;
};

function cgroups(size: Size): Cgroup[] {
	const random = generator(1001);
	const list: Cgroup[] = [];
	const base = (id: string, docker: boolean): Omit<Cgroup, 'labels'> & {id: string} => {
		// A few busy containers, most nearly idle: CPU in cores, log-uniform between 0.002 and 1.5.
		const busy = random() < 0.05;
		return {
			id,
			docker,
			cpuCores: busy ? 0.4 + random() : 0.002 * (100 ** random()),
			cpuPeriod: 60 + (random() * 240),
			phase: random() * 2 * Math.PI,
			memoryBytes: Math.round((20 + (random() * 900)) * 2 ** 20),
			limitBytes: random() < 0.5 ? 0 : 2 ** (29 + Math.floor(random() * 4)),
			networkBytesPerSecond: 1000 * (1000 ** random()),
			diskBytesPerSecond: random() < 0.3 ? 0 : 500 * (200 ** random()),
			startTime: Math.floor(started / 1000) - 3600 - Math.floor(random() * 86_400),
			skewMs: Math.floor(random() * 900),
		};
	};

	for (const id of rawCgroups) {
		const cgroup = base(id, false);
		list.push({...cgroup, labels: {id}});
	}

	for (let index = 0; index < size.containers; index++) {
		const project = `loadtest${Math.floor(index / services.length)}`;
		const service = services[index % services.length]!;
		const cgroup = base(`/system.slice/docker-${hex(random, 64)}.scope`, true);
		// cAdvisor with --store_container_labels exports every Docker label as container_label_<sanitised key>.
		list.push({
			...cgroup,
			labels: {
				container_label_com_docker_compose_config_hash: hex(random, 64),
				container_label_com_docker_compose_container_number: '1',
				container_label_com_docker_compose_depends_on: '',
				container_label_com_docker_compose_image: `sha256:${hex(random, 64)}`,
				container_label_com_docker_compose_oneoff: 'False',
				container_label_com_docker_compose_project: project,
				container_label_com_docker_compose_project_config_files: `/srv/${project}/compose.yml`,
				container_label_com_docker_compose_project_working_dir: `/srv/${project}`,
				container_label_com_docker_compose_service: service,
				container_label_com_docker_compose_version: '2.29.7',
				id: cgroup.id,
				image: `registry.example.com/${service}:1.${index % 7}.${index % 3}`,
				name: `${project}-${service}-1`,
			},
		});
	}

	return list;
}

function cadvisorText(list: Cgroup[]): string {
	const out = new Exposition();
	const t = clock();
	const now = Date.now();
	const at = (cgroup: Cgroup) => now - cgroup.skewMs;
	const text = list.map(cgroup => labels(cgroup.labels).slice(1, -1));
	const withExtra = (index: number, extra: string) => `{${[extra, text[index]].filter(Boolean).join(',')}}`;
	const plain = (index: number) => `{${text[index]}}`;

	out.family('cadvisor_version_info', 'gauge', 'A metric with a constant \'1\' value labeled by kernel version, OS version, docker version, cadvisor version & cadvisor revision.');
	out.sample('cadvisor_version_info', labels({cadvisorRevision: 'synthetic', cadvisorVersion: 'v0.60.5', dockerVersion: '27.3.1', kernelVersion: '6.1.0', osVersion: 'Debian GNU/Linux 12 (bookworm)'}), 1);
	out.family('machine_cpu_cores', 'gauge', 'Number of logical CPU cores.');
	out.sample('machine_cpu_cores', labels({boot_id: 'synthetic', machine_id: 'synthetic', system_uuid: 'synthetic'}), 16);

	const cpu = (name: string, help: string, share: number, extra: string) => {
		out.family(name, 'counter', help);
		for (const [index, cgroup] of list.entries()) {
			out.sample(name, withExtra(index, extra), counter(t, cgroup.cpuCores * share, cgroup.cpuPeriod, cgroup.phase, 0.6), at(cgroup));
		}
	};

	cpu('container_cpu_usage_seconds_total', 'Cumulative cpu time consumed in seconds.', 1, 'cpu="total"');
	cpu('container_cpu_user_seconds_total', 'Cumulative user cpu time consumed in seconds.', 0.7, '');
	cpu('container_cpu_system_seconds_total', 'Cumulative system cpu time consumed in seconds.', 0.3, '');

	const memory = (name: string, help: string, share: number) => {
		out.family(name, 'gauge', help);
		for (const [index, cgroup] of list.entries()) {
			out.sample(name, plain(index), Math.round(cgroup.memoryBytes * share * (1 + (0.15 * wave(t, cgroup.cpuPeriod * 1.7, cgroup.phase)))), at(cgroup));
		}
	};

	memory('container_memory_working_set_bytes', 'Current working set in bytes.', 1);
	memory('container_memory_usage_bytes', 'Current memory usage in bytes, including all memory regardless of when it was accessed', 1.25);
	memory('container_memory_rss', 'Size of RSS in bytes.', 0.8);
	memory('container_memory_cache', 'Number of bytes of page cache memory.', 0.35);

	out.family('container_spec_memory_limit_bytes', 'gauge', 'Memory limit for the container.');
	for (const [index, cgroup] of list.entries()) {
		out.sample('container_spec_memory_limit_bytes', plain(index), cgroup.limitBytes, at(cgroup));
	}

	out.family('container_spec_cpu_period', 'gauge', 'CPU period of the container.');
	for (const [index, cgroup] of list.entries()) {
		out.sample('container_spec_cpu_period', plain(index), 100_000, at(cgroup));
	}

	const traffic = (name: string, help: string, extra: string, pick: (cgroup: Cgroup) => number) => {
		out.family(name, 'counter', help);
		for (const [index, cgroup] of list.entries()) {
			if (cgroup.docker || cgroup.labels['id'] === '/') {
				out.sample(name, withExtra(index, extra), Math.floor(counter(t, pick(cgroup), cgroup.cpuPeriod, cgroup.phase + 1)), at(cgroup));
			}
		}
	};

	traffic('container_network_receive_bytes_total', 'Cumulative count of bytes received', 'interface="eth0"', cgroup => cgroup.networkBytesPerSecond);
	traffic('container_network_transmit_bytes_total', 'Cumulative count of bytes transmitted', 'interface="eth0"', cgroup => cgroup.networkBytesPerSecond * 0.6);
	traffic('container_network_receive_packets_total', 'Cumulative count of packets received', 'interface="eth0"', cgroup => cgroup.networkBytesPerSecond / 900);
	traffic('container_network_transmit_packets_total', 'Cumulative count of packets transmitted', 'interface="eth0"', cgroup => cgroup.networkBytesPerSecond / 1100);
	traffic('container_fs_reads_bytes_total', 'Cumulative count of bytes read', 'device="/dev/vda"', cgroup => cgroup.diskBytesPerSecond);
	traffic('container_fs_writes_bytes_total', 'Cumulative count of bytes written', 'device="/dev/vda"', cgroup => cgroup.diskBytesPerSecond * 2);

	out.family('container_start_time_seconds', 'gauge', 'Start time of the container since unix epoch in seconds.');
	for (const [index, cgroup] of list.entries()) {
		out.sample('container_start_time_seconds', plain(index), cgroup.startTime, at(cgroup));
	}

	out.family('container_last_seen', 'gauge', 'Last time a container was seen by the exporter');
	for (const [index, cgroup] of list.entries()) {
		out.sample('container_last_seen', plain(index), Math.floor(at(cgroup) / 1000), at(cgroup));
	}

	return out.text();
}

// --- kafka_exporter ----------------------------------------------------------------------------------------

type TopicPartition = {topic: string; partition: number; base: number; rate: number; period: number; phase: number; oldest: number};
type GroupKind = 'ok' | 'behind' | 'stalled' | 'stopped';
type Group = {name: string; topic: string; kind: GroupKind; members: number; uncommitted: number | null; lagScale: number; lagPeriod: number; phase: number};

type KafkaModel = {topics: string[]; partitions: Map<string, TopicPartition[]>; groups: Group[]; brokers: number; partitionsPerTopic: number};

function kafkaModel(size: Size): KafkaModel {
	const random = generator(2002);
	const topicCount = Math.ceil(size.groups / groupsPerTopic);
	const topics = Array.from({length: topicCount}, (_, index) => `loadtest.events.${String(index).padStart(3, '0')}`);
	const partitions = new Map<string, TopicPartition[]>();
	for (const topic of topics) {
		// Messages per second over the whole topic, 2 to 400.
		const topicRate = 2 * (200 ** random());
		partitions.set(topic, Array.from({length: size.partitions}, (_, partition) => ({
			topic,
			partition,
			base: Math.floor(1_000_000 + (random() * 5_000_000)),
			rate: (topicRate / size.partitions) * (0.5 + random()),
			period: 90 + (random() * 120),
			phase: random() * 2 * Math.PI,
			oldest: Math.floor(random() * 100_000),
		})));
	}

	partitions.set('__consumer_offsets', Array.from({length: 50}, (_, partition) => ({
		topic: '__consumer_offsets', partition, base: Math.floor(random() * 10_000), rate: 0.05 + (random() * 0.5), period: 300, phase: 0, oldest: 0,
	})));

	const groups: Group[] = Array.from({length: size.groups}, (_, index) => {
		const kind: GroupKind = index % 20 === 7 ? 'stalled' : (index % 20 === 13 ? 'stopped' : (index % 10 === 4 ? 'behind' : 'ok'));
		return {
			name: `loadtest-${services[index % services.length]}-consumer-${index}`,
			topic: topics[Math.floor(index / groupsPerTopic)]!,
			kind,
			members: kind === 'stopped' ? 0 : 1 + Math.floor(random() * 4),
			// Every 25th group has one partition it never committed on: kafka_exporter reports -1 there.
			uncommitted: index % 25 === 11 ? Math.floor(random() * size.partitions) : null,
			lagScale: 1 + (random() * 4),
			lagPeriod: 60 + (random() * 90),
			phase: random() * 2 * Math.PI,
		};
	});
	return {topics, partitions, groups, brokers: size.brokers, partitionsPerTopic: size.partitions};
}

function logEndExact(tp: TopicPartition, t: number): number {
	return tp.base + counter(t, tp.rate, tp.period, tp.phase);
}

function logEnd(tp: TopicPartition, t: number): number {
	return Math.floor(logEndExact(tp, t));
}

/** Committed offset of a group on one partition, or -1 where it never committed. */
function committed(group: Group, tp: TopicPartition, t: number, index: number): number {
	if (group.uncommitted === tp.partition) {
		return -1;
	}

	const end = logEndExact(tp, t);
	// Stopped or stalled consumers stopped committing ten minutes before the exporter "started".
	const stopAt = 3000 + (index * 7 % 600);
	switch (group.kind) {
		case 'stalled':
		case 'stopped': {
			return Math.floor(Math.min(end, logEndExact(tp, stopAt)));
		}

		case 'behind': {
			// Consumes at 85 % of the produce rate, so the lag grows steadily.
			return Math.floor(tp.base + (0.85 * (end - tp.base)));
		}

		case 'ok': {
			// Lag pulses and touches 0 half of the time; its slope stays below the produce rate, so the
			// committed offset never moves backwards.
			const omega = (2 * Math.PI) / group.lagPeriod;
			const amplitude = Math.min(group.lagScale * tp.rate, (0.6 * tp.rate) / omega);
			const lag = amplitude * Math.max(0, Math.sin((omega * t) + group.phase + tp.partition));
			return Math.floor(end - lag);
		}
	}
}

function kafkaExporterText(model: KafkaModel): string {
	const out = new Exposition();
	const t = clock();
	out.family('kafka_brokers', 'gauge', 'Number of Brokers in the Kafka Cluster.');
	out.sample('kafka_brokers', '', model.brokers);
	out.family('kafka_broker_info', 'gauge', 'Information about the Kafka Broker.');
	for (let broker = 1; broker <= model.brokers; broker++) {
		out.sample('kafka_broker_info', labels({address: `kafka-${broker}:9092`, id: String(broker)}), 1);
	}

	const allTopics = [...model.partitions.keys()].sort();
	out.family('kafka_topic_partitions', 'gauge', 'Number of partitions for this Topic');
	for (const topic of allTopics) {
		out.sample('kafka_topic_partitions', labels({topic}), model.partitions.get(topic)!.length);
	}

	const perPartition = (name: string, help: string, value: (tp: TopicPartition) => number) => {
		out.family(name, 'gauge', help);
		for (const topic of allTopics) {
			for (const tp of model.partitions.get(topic)!) {
				out.sample(name, labels({partition: String(tp.partition), topic}), value(tp));
			}
		}
	};

	const replicas = Math.min(3, model.brokers);
	perPartition('kafka_topic_partition_current_offset', 'Current Offset of a Broker at Topic/Partition', tp => logEnd(tp, t));
	perPartition('kafka_topic_partition_oldest_offset', 'Oldest Offset of a Broker at Topic/Partition', tp => tp.oldest);
	perPartition('kafka_topic_partition_in_sync_replica', 'Number of In-Sync Replicas for this Topic/Partition', () => replicas);
	perPartition('kafka_topic_partition_leader', 'Leader Broker ID of this Topic/Partition', tp => 1 + (tp.partition % model.brokers));
	perPartition('kafka_topic_partition_leader_is_preferred', '1 if Topic/Partition is using the Preferred Broker', () => 1);
	perPartition('kafka_topic_partition_replicas', 'Number of Replicas for this Topic/Partition', () => replicas);
	perPartition('kafka_topic_partition_under_replicated_partition', '1 if Topic/Partition is under Replicated', () => 0);

	// Per group, per partition: committed offset and lag; then the per-topic sums (which leave out -1).
	const rows = model.groups.map((group, index) => model.partitions.get(group.topic)!.map(tp => {
		const offset = committed(group, tp, t, index);
		return {group, tp, offset, lag: offset < 0 ? -1 : logEnd(tp, t) - offset};
	}));
	out.family('kafka_consumergroup_current_offset', 'gauge', 'Current Offset of a ConsumerGroup at Topic/Partition');
	for (const row of rows.flat()) {
		out.sample('kafka_consumergroup_current_offset', labels({consumergroup: row.group.name, partition: String(row.tp.partition), topic: row.tp.topic}), row.offset);
	}

	out.family('kafka_consumergroup_current_offset_sum', 'gauge', 'Current Offset of a ConsumerGroup at Topic for all partitions');
	for (const group of rows) {
		out.sample('kafka_consumergroup_current_offset_sum', labels({consumergroup: group[0]!.group.name, topic: group[0]!.tp.topic}), group.reduce((sum, row) => sum + Math.max(0, row.offset), 0));
	}

	out.family('kafka_consumergroup_lag', 'gauge', 'Current Approximate Lag of a ConsumerGroup at Topic/Partition');
	for (const row of rows.flat()) {
		out.sample('kafka_consumergroup_lag', labels({consumergroup: row.group.name, partition: String(row.tp.partition), topic: row.tp.topic}), row.lag);
	}

	out.family('kafka_consumergroup_lag_sum', 'gauge', 'Current Approximate Lag of a ConsumerGroup at Topic for all partitions');
	for (const group of rows) {
		out.sample('kafka_consumergroup_lag_sum', labels({consumergroup: group[0]!.group.name, topic: group[0]!.tp.topic}), group.reduce((sum, row) => sum + Math.max(0, row.lag), 0));
	}

	out.family('kafka_consumergroup_members', 'gauge', 'Amount of members in a consumer group');
	for (const group of model.groups) {
		out.sample('kafka_consumergroup_members', labels({consumergroup: group.name}), group.members);
	}

	out.family('kafka_exporter_build_info', 'gauge', 'A metric with a constant \'1\' value labeled by version, revision, branch, goversion from which kafka_exporter was built, and the goos and goarch for the build.');
	out.sample('kafka_exporter_build_info', labels({branch: '', goarch: 'amd64', goos: 'linux', goversion: 'go1.24.0', revision: 'synthetic', tags: 'unknown', version: '1.9.0'}), 1);
	return out.text();
}

// --- JMX exporter 1.x, one broker per port ---------------------------------------------------------------

const requestTypes = ['AddOffsetsToTxn', 'AddPartitionsToTxn', 'AlterConfigs', 'AlterPartition', 'ApiVersions', 'BrokerHeartbeat', 'BrokerRegistration', 'ConsumerGroupDescribe', 'ConsumerGroupHeartbeat', 'CreateAcls', 'CreatePartitions', 'CreateTopics', 'DeleteGroups', 'DeleteRecords', 'DeleteTopics', 'DescribeAcls', 'DescribeCluster', 'DescribeConfigs', 'DescribeGroups', 'DescribeLogDirs', 'DescribeProducers', 'DescribeQuorum', 'DescribeTopicPartitions', 'DescribeTransactions', 'ElectLeaders', 'EndTxn', 'Fetch', 'FetchConsumer', 'FetchFollower', 'FindCoordinator', 'Heartbeat', 'IncrementalAlterConfigs', 'InitProducerId', 'JoinGroup', 'LeaveGroup', 'ListGroups', 'ListOffsets', 'ListTransactions', 'Metadata', 'OffsetCommit', 'OffsetDelete', 'OffsetFetch', 'OffsetForLeaderEpoch', 'Produce', 'SaslAuthenticate', 'SaslHandshake', 'SyncGroup', 'TxnOffsetCommit', 'UpdateFeatures', 'Vote', 'WriteTxnMarkers'];
const busyRequests: Record<string, {version: string; share: number; ms: number}> = {
	Produce: {version: '11', share: 0.3, ms: 3},
	FetchConsumer: {version: '16', share: 0.3, ms: 500},
	Fetch: {version: '16', share: 0.1, ms: 400},
	FetchFollower: {version: '16', share: 0.1, ms: 500},
	OffsetCommit: {version: '9', share: 0.08, ms: 2},
	Heartbeat: {version: '4', share: 0.06, ms: 1},
	Metadata: {version: '12', share: 0.03, ms: 1},
	ListOffsets: {version: '8', share: 0.02, ms: 1},
	ApiVersions: {version: '3', share: 0.01, ms: 0},
};
const quantiles = ['0.50', '0.75', '0.95', '0.98', '0.99', '0.999'];
const zeroGauges = ['kafka_server_replicamanager_reassigningpartitions', 'kafka_server_replicamanager_offlinereplicacount', 'kafka_server_replicamanager_underminisrpartitioncount', 'kafka_server_replicamanager_partitionswithlatetransactionscount', 'kafka_controller_kafkacontroller_fencedbrokercount', 'kafka_controller_kafkacontroller_preferredreplicaimbalancecount', 'kafka_controller_kafkacontroller_metadataerrorcount', 'kafka_network_socketserver_expiredconnectionskilledcount'];

function jmxText(model: KafkaModel, broker: number): string {
	const out = new Exposition();
	const t = clock();
	const leaderTopics = model.topics;
	// This broker leads partitions p with p % brokers == broker - 1.
	const ledRate = (topic: string) => model.partitions.get(topic)!.filter(tp => tp.partition % model.brokers === broker - 1);
	const messages = (topic: string) => ledRate(topic).reduce((sum, tp) => sum + (logEnd(tp, t) - tp.base), 0);
	const consumersOf = (topic: string) => model.groups.filter(group => group.topic === topic && group.kind !== 'stopped' && group.kind !== 'stalled').length;

	out.family('jmx_exporter_build_info', 'gauge', 'JMX Exporter build information');
	out.sample('jmx_exporter_build_info', labels({name: 'jmx_prometheus_httpserver', version: '1.0.1'}), 1);
	out.family('jmx_scrape_error', 'gauge', 'Non-zero if this scrape failed.');
	out.sample('jmx_scrape_error', '', 0);
	out.family('jmx_scrape_duration_seconds', 'gauge', 'Time this JMX scrape took, in seconds.');
	out.sample('jmx_scrape_duration_seconds', '', 0.15 + (0.05 * wave(t, 30, broker)));

	const perTopic = (name: string, help: string, value: (topic: string) => number) => {
		out.family(name, 'counter', help);
		let total = 0;
		for (const topic of leaderTopics) {
			const topicValue = Math.floor(value(topic));
			total += topicValue;
			out.sample(name, labels({topic}), topicValue);
		}

		// The series without a topic label is the broker-wide total.
		out.sample(name, '', total);
	};

	perTopic('kafka_server_brokertopicmetrics_messagesin_total', 'Attribute exposed for management kafka.server:name=MessagesInPerSec,type=BrokerTopicMetrics,attribute=Count', messages);
	perTopic('kafka_server_brokertopicmetrics_bytesin_total', 'Attribute exposed for management kafka.server:name=BytesInPerSec,type=BrokerTopicMetrics,attribute=Count', topic => messages(topic) * 612);
	perTopic('kafka_server_brokertopicmetrics_bytesout_total', 'Attribute exposed for management kafka.server:name=BytesOutPerSec,type=BrokerTopicMetrics,attribute=Count', topic => messages(topic) * 612 * consumersOf(topic));
	perTopic('kafka_server_brokertopicmetrics_totalproducerequests_total', 'Attribute exposed for management kafka.server:name=TotalProduceRequestsPerSec,type=BrokerTopicMetrics,attribute=Count', topic => messages(topic) / 20);
	perTopic('kafka_server_brokertopicmetrics_totalfetchrequests_total', 'Attribute exposed for management kafka.server:name=TotalFetchRequestsPerSec,type=BrokerTopicMetrics,attribute=Count', topic => messages(topic) / 15);

	const totalMessages = leaderTopics.reduce((sum, topic) => sum + messages(topic), 0);
	const requestRate = (totalMessages / t) / 10;
	out.family('kafka_network_requestmetrics_requests_total', 'counter', 'Attribute exposed for management kafka.network:name=RequestsPerSec,type=RequestMetrics,attribute=Count');
	for (const [request, {version, share}] of Object.entries(busyRequests)) {
		out.sample('kafka_network_requestmetrics_requests_total', labels({request, version}), Math.floor(counter(t, requestRate * share, 120, broker)));
	}

	out.family('kafka_network_requestmetrics_totaltimems', 'gauge', 'Attribute exposed for management kafka.network:name=TotalTimeMs,type=RequestMetrics');
	for (const quantile of quantiles) {
		for (const request of requestTypes) {
			const base = busyRequests[request]?.ms ?? 0;
			const factor = {'0.50': 1, '0.75': 1.3, '0.95': 2, '0.98': 2.6, '0.99': 3.5, '0.999': 8}[quantile]!;
			out.sample('kafka_network_requestmetrics_totaltimems', labels({quantile, request}), Math.round(base * factor * (1 + (0.2 * wave(t, 45, broker)))));
		}
	}

	out.family('kafka_network_requestmetrics_totaltimems_count_total', 'counter', 'Attribute exposed for management kafka.network:name=TotalTimeMs,type=RequestMetrics,attribute=Count');
	for (const request of requestTypes) {
		const share = busyRequests[request]?.share ?? 0;
		out.sample('kafka_network_requestmetrics_totaltimems_count_total', labels({request}), Math.floor(counter(t, requestRate * share, 120, broker)));
	}

	const partitionCount = [...model.partitions.values()].flat().length;
	const gauge = (name: string, value: number, extra = '') => {
		out.family(name, 'gauge', `Attribute exposed for management ${name}`);
		out.sample(name, extra, value);
	};

	gauge('kafka_server_replicamanager_underreplicatedpartitions', 0);
	gauge('kafka_server_replicamanager_partitioncount', Math.ceil(partitionCount * Math.min(3, model.brokers) / model.brokers));
	gauge('kafka_server_replicamanager_leadercount', Math.ceil(partitionCount / model.brokers));
	gauge('kafka_controller_kafkacontroller_activecontrollercount', broker === 1 ? 1 : 0);
	gauge('kafka_controller_kafkacontroller_offlinepartitionscount', 0);
	gauge('kafka_controller_kafkacontroller_activebrokercount', model.brokers);
	gauge('kafka_controller_kafkacontroller_globaltopiccount', model.partitions.size);
	gauge('kafka_controller_kafkacontroller_globalpartitioncount', partitionCount);
	gauge('kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent', 0.8 + (0.1 * wave(t, 60, broker)));
	gauge('kafka_network_socketserver_networkprocessoravgidle_percent', 0.85 + (0.1 * wave(t, 70, broker)));
	for (const name of zeroGauges) {
		gauge(name, 0);
	}

	const heapMax = 2 ** 30;
	out.family('jvm_memory_used_bytes', 'gauge', 'Used bytes of a given JVM memory area.');
	out.sample('jvm_memory_used_bytes', labels({area: 'heap'}), Math.round(heapMax * (0.45 + (0.25 * ((t / 40) % 1)))));
	out.sample('jvm_memory_used_bytes', labels({area: 'nonheap'}), 98_000_000);
	out.family('jvm_memory_committed_bytes', 'gauge', 'Committed (bytes) of a given JVM memory area.');
	out.sample('jvm_memory_committed_bytes', labels({area: 'heap'}), heapMax * 0.8);
	out.sample('jvm_memory_committed_bytes', labels({area: 'nonheap'}), 104_000_000);
	out.family('jvm_memory_max_bytes', 'gauge', 'Max (bytes) of a given JVM memory area.');
	out.sample('jvm_memory_max_bytes', labels({area: 'heap'}), heapMax);
	out.sample('jvm_memory_max_bytes', labels({area: 'nonheap'}), -1);
	out.family('jvm_gc_collection_seconds_count', 'gauge', 'Time spent in a given JVM garbage collector in seconds.');
	out.sample('jvm_gc_collection_seconds_count', labels({gc: 'G1 Young Generation'}), Math.floor(t / 40));
	out.sample('jvm_gc_collection_seconds_count', labels({gc: 'G1 Old Generation'}), 0);
	out.family('jvm_gc_collection_seconds_sum', 'gauge', 'Time spent in a given JVM garbage collector in seconds.');
	out.sample('jvm_gc_collection_seconds_sum', labels({gc: 'G1 Young Generation'}), Math.floor(t / 40) * 0.012);
	out.sample('jvm_gc_collection_seconds_sum', labels({gc: 'G1 Old Generation'}), 0);
	return out.text();
}

// --- statsd_exporter with k6 (stack/statsd-mapping.yml) -------------------------------------------------

/** stack/statsd-mapping.yml's buckets, in seconds. */
const buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const resources = ['items', 'orders', 'users', 'carts', 'search', 'payments', 'reviews', 'stock'];

type TagSet = {
	labelText: string;
	rate: number;
	failed: boolean;
	period: number;
	phase: number;
	/** Cumulative share of fast and slow requests at or under each bucket, and their mean in seconds. */
	fast: number[];
	slow: number[];
	fastMean: number;
	slowMean: number;
};

type K6Model = {sets: TagSet[]; scenarios: string[]; totalRate: number};

function k6Model(size: Size): K6Model {
	const random = generator(3003);
	const scenarios = ['browse', 'checkout'];
	const cdf = (median: number) => buckets.map(le => normalCdf((Math.log(le) - Math.log(median)) / 0.6));
	const sets: TagSet[] = [];
	// Requests per second over all tag values: 100 for small, 1,000 for large; Zipf-like per value.
	const totalRate = 100 * Math.max(1, size.tagValues / 100);
	const harmonic = Array.from({length: size.tagValues}, (_, index) => 1 / (index + 1)).reduce((sum, value) => sum + value, 0);
	for (let index = 0; index < size.tagValues; index++) {
		const method = index % 4 === 3 ? 'POST' : 'GET';
		const name = `http://app.test:8080/api/v1/${resources[index % resources.length]}/${index}`;
		const scenario = scenarios[index % scenarios.length]!;
		const rate = totalRate / (index + 1) / harmonic;
		const median = 0.004 * (50 ** random());
		const variants: Array<{status: string; share: number; failed: boolean}> = index % 10 === 5
			? [{status: '200', share: 0.97, failed: false}, {status: '500', share: 0.03, failed: true}]
			: [{status: method === 'POST' ? '201' : '200', share: 1, failed: false}];
		for (const variant of variants) {
			sets.push({
				labelText: labels({expected_response: String(!variant.failed), method, name, proto: 'HTTP/1.1', scenario, status: variant.status}).slice(1, -1),
				rate: rate * variant.share,
				failed: variant.failed,
				period: 60 + (random() * 120),
				phase: random() * 2 * Math.PI,
				fast: cdf(median),
				slow: cdf(median * 12),
				fastMean: median * 1.2,
				slowMean: median * 14,
			});
		}
	}

	return {sets, scenarios, totalRate};
}

function histogram(out: Exposition, name: string, labelText: string, fastCount: number, slowCount: number, set: TagSet): void {
	const with_ = (extra: string) => `{${[labelText, extra].filter(Boolean).join(',')}}`;
	const fast = Math.floor(fastCount);
	const slow = Math.floor(slowCount);
	for (const [index, le] of buckets.entries()) {
		out.sample(`${name}_bucket`, with_(`le="${le}"`), Math.floor(set.fast[index]! * fast) + Math.floor(set.slow[index]! * slow));
	}

	out.sample(`${name}_bucket`, with_('le="+Inf"'), fast + slow);
	out.sample(`${name}_sum`, with_(''), (fast * set.fastMean) + (slow * set.slowMean));
	out.sample(`${name}_count`, with_(''), fast + slow);
}

function statsdText(model: K6Model): string {
	const out = new Exposition();
	const t = clock();
	// Slow requests come in bursts (amplitude 0.9), so percentiles move while the request rate stays steady.
	const counts = model.sets.map(set => ({
		fast: counter(t, set.rate * 0.93, set.period, set.phase),
		slow: counter(t, set.rate * 0.07, set.period / 2, set.phase + 2, 0.9),
	}));

	out.family('k6_http_reqs', 'counter', 'Metric autogenerated by statsd_exporter.');
	for (const [index, set] of model.sets.entries()) {
		out.sample('k6_http_reqs', `{${set.labelText}}`, Math.floor(counts[index]!.fast) + Math.floor(counts[index]!.slow));
	}

	out.family('k6_http_req_failed', 'counter', 'Metric autogenerated by statsd_exporter.');
	for (const [index, set] of model.sets.entries()) {
		out.sample('k6_http_req_failed', `{${set.labelText}}`, set.failed ? Math.floor(counts[index]!.fast) + Math.floor(counts[index]!.slow) : 0);
	}

	// Two of k6's seven http_req_* trends (the one kmon reads and one more), each a histogram per tag set.
	for (const [trend, scale] of [['k6_http_req_duration', 1], ['k6_http_req_waiting', 0.9]] as const) {
		out.family(trend, 'histogram', 'k6 trend, in seconds');
		for (const [index, set] of model.sets.entries()) {
			histogram(out, trend, set.labelText, counts[index]!.fast, counts[index]!.slow, scale === 1 ? set : {...set, fastMean: set.fastMean * scale, slowMean: set.slowMean * scale});
		}
	}

	const vus = Math.round(Math.max(1, model.totalRate / 5 * (0.75 + (0.25 * wave(t, 240, 0)))));
	out.family('k6_vus', 'gauge', 'Metric autogenerated by statsd_exporter.');
	out.sample('k6_vus', '', vus);
	out.family('k6_vus_max', 'gauge', 'Metric autogenerated by statsd_exporter.');
	out.sample('k6_vus_max', '', Math.round(model.totalRate / 5));

	const iterationRate = model.totalRate / 4 / model.scenarios.length;
	out.family('k6_iterations', 'counter', 'Metric autogenerated by statsd_exporter.');
	for (const scenario of model.scenarios) {
		out.sample('k6_iterations', labels({scenario}), Math.floor(counter(t, iterationRate, 150, scenario.length)));
	}

	out.family('k6_iteration_duration', 'histogram', 'k6 trend, in seconds');
	const iterationSet = model.sets[0]!;
	for (const scenario of model.scenarios) {
		const count = counter(t, iterationRate, 150, scenario.length);
		histogram(out, 'k6_iteration_duration', labels({scenario}).slice(1, -1), count * 0.9, count * 0.1, {...iterationSet, fast: buckets.map(le => normalCdf((Math.log(le) - Math.log(0.8)) / 0.4)), slow: buckets.map(le => normalCdf((Math.log(le) - Math.log(3)) / 0.4)), fastMean: 0.85, slowMean: 3.2});
	}

	for (const [name, bytes] of [['k6_data_sent', 350], ['k6_data_received', 4200]] as const) {
		out.family(name, 'counter', 'Metric autogenerated by statsd_exporter.');
		for (const scenario of model.scenarios) {
			out.sample(name, labels({scenario}), Math.floor(counter(t, model.totalRate * bytes / model.scenarios.length, 150, 1)));
		}
	}

	out.family('k6_checks', 'counter', 'k6 check results: one increment per evaluated check (label check = check name, result = pass|fail)');
	for (const scenario of model.scenarios) {
		for (const check of ['status is 2xx', 'body has items', 'latency < 500ms']) {
			const total = counter(t, iterationRate, 150, scenario.length);
			const failShare = check === 'latency < 500ms' ? 0.04 : (check === 'status is 2xx' ? 0.003 : 0);
			out.sample('k6_checks', labels({check, result: 'pass', scenario}), Math.floor(total * (1 - failShare)));
			out.sample('k6_checks', labels({check, result: 'fail', scenario}), Math.floor(total * failShare));
		}
	}

	const samplesPerSecond = model.totalRate * 30;
	const self: Array<[string, number]> = [
		['statsd_exporter_events_conflict_total', 0],
		['statsd_exporter_events_unmapped_total', 0],
		['statsd_exporter_udp_packet_drops_total', 0],
		['statsd_exporter_samples_total', Math.floor(samplesPerSecond * t)],
		['statsd_exporter_tags_total', Math.floor(samplesPerSecond * t * 6)],
		['statsd_exporter_tag_errors_total', 0],
		['statsd_exporter_udp_packets_total', Math.floor(samplesPerSecond * t / 20)],
		['statsd_exporter_lines_total', Math.floor(samplesPerSecond * t)],
	];
	for (const [name, value] of self) {
		out.family(name, 'counter', `statsd_exporter self metric ${name}`);
		out.sample(name, name === 'statsd_exporter_events_conflict_total' ? labels({type: 'counter'}) : '', value);
	}

	out.family('statsd_exporter_build_info', 'gauge', 'A metric with a constant \'1\' value labeled by version, revision, branch, goversion from which statsd_exporter was built, and the goos and goarch for the build.');
	out.sample('statsd_exporter_build_info', labels({branch: '', goarch: 'amd64', goos: 'linux', goversion: 'go1.25.0', revision: 'synthetic', tags: 'unknown', version: '0.30.0'}), 1);
	return out.text();
}

// --- serving -------------------------------------------------------------------------------------------

export type Exporter = {ports: Ports; seriesCount(): Record<string, number>; close(): Promise<void>};

export async function startExporter(size: Size, portBase: number, host = '127.0.0.1'): Promise<Exporter> {
	const ports = portsFor(size, portBase);
	const containerList = cgroups(size);
	const kafka = kafkaModel(size);
	const k6 = k6Model(size);
	const pages: Array<[number, () => string]> = [
		[ports.cadvisor, () => cadvisorText(containerList)],
		[ports.kafkaExporter, () => kafkaExporterText(kafka)],
		[ports.statsdExporter, () => statsdText(k6)],
		...ports.jmx.map((port, index): [number, () => string] => [port, () => jmxText(kafka, index + 1)]),
	];
	const servers = await Promise.all(pages.map(async ([port, page]) => new Promise<http.Server>((resolve, reject) => {
		const server = http.createServer((request, response) => {
			if (request.url?.split('?')[0] !== '/metrics') {
				response.writeHead(404, {'Content-Type': 'text/plain'}).end('not found; try /metrics\n');
				return;
			}

			const body = page();
			response.writeHead(200, {'Content-Type': 'text/plain; version=0.0.4; charset=utf-8', 'Content-Length': Buffer.byteLength(body)});
			response.end(body);
		});
		server.once('error', reject);
		server.listen(port, host, () => {
			resolve(server);
		});
	})));
	return {
		ports,
		seriesCount() {
			const count = (text: string) => text.split('\n').filter(line => line && !line.startsWith('#')).length;
			return {
				cadvisor: count(cadvisorText(containerList)),
				kafkaExporter: count(kafkaExporterText(kafka)),
				statsdExporter: count(statsdText(k6)),
				jmx: ports.jmx.reduce((sum, _, index) => sum + count(jmxText(kafka, index + 1)), 0),
			};
		},
		async close() {
			await Promise.all(servers.map(async server => new Promise<void>(resolve => {
				server.closeAllConnections();
				server.close(() => {
					resolve();
				});
			})));
		},
	};
}

function option(name: string): string | undefined {
	const index = process.argv.indexOf(name);
	return index === -1 ? undefined : process.argv[index + 1];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const sizeName = (option('--size') ?? 'small') as SizeName;
	const size = sizes[sizeName];
	if (!size) {
		process.stderr.write(`exporter: --size must be one of ${Object.keys(sizes).join(', ')}\n`);
		process.exit(2);
	}

	const exporter = await startExporter(size, Number(option('--port-base') ?? 19_400));
	process.stdout.write(`ready ${JSON.stringify({...exporter.ports, series: exporter.seriesCount()})}\n`);
	const stop = () => {
		void exporter.close().then(() => process.exit(0));
	};

	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
	if (process.argv.includes('--exit-with-stdin')) {
		// The benchmark holds our stdin open; if it dies without cleaning up, stdin ends and we do not linger.
		process.stdin.on('end', stop);
		process.stdin.resume();
	}
}
