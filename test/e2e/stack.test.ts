import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {beforeAll, describe, expect, test} from 'vitest';
import {describeUnless, requirePart} from '../support/components.js';
import {eventually, prometheusUrl, promql} from '../support/stack.js';

// The local test stack itself (test/stack/up.sh), checked through the Prometheus HTTP API: every component
// is scraped, the workload behaves as designed, and the metric names kmon relies on exist as the real
// components produce them. Names observed on the real components are listed in test/stack/README.md.

type Target = {health: string; lastError: string; labels: Record<string, string>};

async function targets(): Promise<Target[]> {
	const response = await fetch(`${prometheusUrl}/api/v1/targets?state=active`);
	const body = await response.json() as {data: {activeTargets: Target[]}};
	return body.data.activeTargets;
}

/** Sum of an instant vector's values, or undefined when it has no series. */
async function total(query: string): Promise<number | undefined> {
	const rows = await promql(query);
	return rows.length === 0 ? undefined : rows.reduce((sum, row) => sum + row.value, 0);
}

beforeAll(async () => {
	const ready = await fetch(`${prometheusUrl}/-/ready`).then(response => response.ok, () => false);
	if (!ready) {
		throw new Error(`no Prometheus at ${prometheusUrl}: start the test stack with npm run stack:up`);
	}
});

describe('Given the test stack is up', () => {
	// Job names and ports as in test/stack/PORTS.md.
	test.each([
		['prometheus', '127.0.0.1:9090'],
		['jmx-exporter', '127.0.0.1:5556'],
		['jmx-exporter-legacy', '127.0.0.1:5557'],
		['cadvisor', '127.0.0.1:8080'],
		['statsd-exporter', '127.0.0.1:9102'],
		['statsd-exporter-summary', '127.0.0.1:9103'],
	])('when Prometheus lists its targets, then job %s (%s) is up', async (job, address) => {
		const target = (await targets()).find(candidate => candidate.labels['job'] === job);
		expect(target, `no target for job ${job}: is the component installed? (see stack:up's warnings)`).toBeDefined();
		expect(target?.labels['instance']).toBe(address);
		expect(target?.health, target?.lastError).toBe('up');
	});
});

describe('Given kafka_exporter is installed', () => {
	beforeAll(() => {
		requirePart('kafka-exporter');
	});

	test('when Prometheus lists its targets, then job kafka-exporter (127.0.0.1:9308) is up', async () => {
		const target = (await targets()).find(candidate => candidate.labels['job'] === 'kafka-exporter');
		expect(target?.labels['instance']).toBe('127.0.0.1:9308');
		expect(target?.health, target?.lastError).toBe('up');
	});
});

describe('Given the workload on topic kmon-demo', () => {
	beforeAll(() => {
		requirePart('kafka-exporter');
	});

	test('when the producer runs, then messages arrive at tens to hundreds per second over 6 partitions', async () => {
		expect(await total('count(kafka_topic_partition_current_offset{topic="kmon-demo"})')).toBe(6);
		const rate = await eventually('a produce rate', async () =>
			total('sum(rate(kafka_topic_partition_current_offset{topic="kmon-demo"}[30s])) > 0'));
		expect(rate).toBeGreaterThan(20);
		expect(rate).toBeLessThan(400);
	});

	test('when group kmon-lagging stays away between bursts, then its lag climbs above 0', async () => {
		const lag = await eventually('kmon-lagging with lag > 0', async () =>
			total('sum(kafka_consumergroup_lag{consumergroup="kmon-lagging",topic="kmon-demo"}) > 0'), 100_000);
		expect(lag).toBeGreaterThan(0);
	});

	test('when group kmon-lagging consumes a burst, then its lag drains (drops from one scrape to the next)', async () => {
		// The burst comes every ~30 s; a drop shows as a negative change between consecutive samples.
		const drop = await eventually('a drop of kmon-lagging\'s lag', async () =>
			total('min_over_time((sum(kafka_consumergroup_lag{consumergroup="kmon-lagging",topic="kmon-demo"}) - sum(kafka_consumergroup_lag{consumergroup="kmon-lagging",topic="kmon-demo"} offset 5s))[2m:5s]) < 0'), 100_000);
		expect(drop).toBeLessThan(0);
	});

	test('when group kmon-stopped has left, then it has no members and a lag on all 6 partitions', async () => {
		expect(await total('kafka_consumergroup_members{consumergroup="kmon-stopped"}')).toBe(0);
		const partitions = await promql('kafka_consumergroup_lag{consumergroup="kmon-stopped",topic="kmon-demo"}');
		expect(partitions.map(row => row.metric['partition']).sort()).toEqual(['0', '1', '2', '3', '4', '5']);
		// It committed once and the producer never stops: every partition's lag is a real count, not -1.
		expect(partitions.every(row => row.value >= 0)).toBe(true);
		const lag = await eventually('kmon-stopped with lag > 0', async () =>
			total('sum(kafka_consumergroup_lag{consumergroup="kmon-stopped",topic="kmon-demo"}) > 0'));
		expect(lag).toBeGreaterThan(0);
	});
});

describe('Given both JMX exporter generations scrape the same broker with the same rules', () => {
	test.each([
		'kafka_server_replicamanager_underreplicatedpartitions',
		'kafka_controller_kafkacontroller_activecontrollercount',
		'kafka_controller_kafkacontroller_offlinepartitionscount',
		'kafka_server_brokertopicmetrics_messagesin_total{topic="kmon-demo"}',
		'kafka_server_brokertopicmetrics_bytesin_total{topic="kmon-demo"}',
		'kafka_network_requestmetrics_requests_total{request="Produce"}',
		'kafka_network_requestmetrics_totaltimems{request="Produce",quantile=~"0[.]99.*"}',
		'jvm_memory_used_bytes{area="heap"}',
	])('when Prometheus is asked for %s, then both jobs have it', async series => {
		const selector = series.includes('{') ? series.replace('{', '{job=~"jmx-exporter|jmx-exporter-legacy",') : `${series}{job=~"jmx-exporter|jmx-exporter-legacy"}`;
		const jobs = (await promql(selector)).map(row => row.metric['job']);
		expect(new Set(jobs)).toEqual(new Set(['jmx-exporter', 'jmx-exporter-legacy']));
	});

	test('when both report the single broker, then it is the active controller with nothing under-replicated', async () => {
		expect(await total('kafka_controller_kafkacontroller_activecontrollercount{job="jmx-exporter"}')).toBe(1);
		expect(await total('kafka_server_replicamanager_underreplicatedpartitions{job="jmx-exporter-legacy"}')).toBe(0);
	});

	// A COUNTER rule whose name does not end in _total: 1.x (client_java 1.x) appends _total, 0.x does not.
	test.each([
		['jmx-exporter', 'kafka_network_requestmetrics_totaltimems_count_total', true],
		['jmx-exporter', 'kafka_network_requestmetrics_totaltimems_count', false],
		['jmx-exporter-legacy', 'kafka_network_requestmetrics_totaltimems_count', true],
		['jmx-exporter-legacy', 'kafka_network_requestmetrics_totaltimems_count_total', false],
	])('when job %s is asked for %s, then present is %s', async (job, name, present) => {
		const rows = await promql(`${name}{job="${job}",request="Produce"}`);
		expect(rows.length > 0).toBe(present);
	});
});

describe('Given cAdvisor without a Docker engine', () => {
	test('when Prometheus is asked for container CPU, then container_cpu_usage_seconds_total exists', async () => {
		expect(await total('count(container_cpu_usage_seconds_total{job="cadvisor"})')).toBeGreaterThan(0);
	});
});

// up.sh puts each component in cgroup kmon-test/<name> where the cgroup fs is writable (cgroup v1 here, as root).
const cgroupsLimit = existsSync('/sys/fs/cgroup/cpu/kmon-test')
	? undefined
	: {file: fileURLToPath(import.meta.url), reason: 'the cgroup v1 fs is not writable here (not root, or cgroup v2), so the stack\'s components share one cgroup'};
describeUnless(cgroupsLimit, 'Given each component of the stack in its own cgroup', () => {
	test('when cAdvisor reports cgroups, then each component has CPU and memory series', async () => {
		const ids = async (query: string) => (await promql(query)).map(row => row.metric['id']).sort();
		const started = ['kafka', 'jmx-exporter', 'jmx-exporter-legacy', 'kafka-exporter', 'statsd-exporter', 'statsd-exporter-summary', 'cadvisor', 'prometheus', 'workload'];
		const expected = started.map(name => `/kmon-test/${name}`).sort();
		expect(await ids('sum by (id) (container_cpu_usage_seconds_total{id=~"/kmon-test/.+"})')).toEqual(expected);
		expect(await ids('container_memory_working_set_bytes{id=~"/kmon-test/.+"} > 0')).toEqual(expected);
	});
});
