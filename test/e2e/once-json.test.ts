import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {beforeAll, describe, expect, test} from 'vitest';
import type {Snapshot} from '../../source/snapshot/types.js';
import {requirePart} from '../support/components.js';
import {aStepAgo, eventually, kmon, prometheusUrl, promql} from '../support/stack.js';

// `kmon --once --json` against the real stack (npm run stack:up): every number checked here is computed again
// by a direct PromQL query at the snapshot's own evaluation time, written independently of kmon's catalog.

const run = promisify(execFile);
let snapshot: Snapshot;

const close = (actual: number | null | undefined, expected: number) => {
	expect(actual).not.toBeNull();
	expect(actual).toBeCloseTo(expected, 6);
};

beforeAll(async () => {
	requirePart('kafka-exporter');
	// Tagged k6 traffic through the real statsd_exporter, so the k6 section has rows.
	await run('node', ['test/stack/fake-k6/k6.js', 'run', '-o', 'output-statsd', '--vus', '3', '--duration', '25s', 'stack/k6/example.js'], {
		env: {...process.env, K6_STATSD_ENABLE_TAGS: 'true', K6_STATSD_ADDR: '127.0.0.1:8125'},
	});
	// Wait until Prometheus has scraped the run's counters twice (a rate needs two samples).
	await eventually('k6 request rate in Prometheus', async () => {
		const rows = await promql('sum(rate(k6_http_reqs[1m])) > 0', aStepAgo());
		return rows.length > 0 ? true : undefined;
	});
	const result = await kmon(['--once', '--json', '--prometheus', prometheusUrl]);
	expect(result.code, result.stderr).toBe(0);
	snapshot = JSON.parse(result.stdout) as Snapshot;
}, 180_000);

describe('Given the real stack with a lagging group, a stopped group and a tagged k6 run', () => {
	test('then the snapshot is schema 1, with the families of the real exporters detected', () => {
		expect(snapshot.schema).toBe(1);
		expect(snapshot.families).toEqual({jmx: 'jmx-exporter-1.x', k6: 'statsd-histogram', cadvisor: expect.stringMatching(/^cadvisor-/)});
		expect(snapshot.prometheus.version).toMatch(/^2\./);
		expect(snapshot.targets.every(target => target.health === 'up')).toBe(true);
	});

	test('then both JMX exporter generations are seen and only the 1.x one is counted', () => {
		expect(snapshot.diagnostics.map(diagnostic => diagnostic.id)).toContain('jmx-several-jobs');
	});

	test('then each group\'s lag equals the sum of its committed partitions\' lag', async () => {
		expect(snapshot.kafka.state).toBe('ok');
		if (snapshot.kafka.state !== 'ok') {
			return;
		}

		const lags = await promql('kafka_consumergroup_lag', snapshot.takenAt);
		const offsets = await promql('kafka_consumergroup_current_offset', snapshot.takenAt);
		const committed = new Set(offsets.filter(row => row.value >= 0).map(row => `${row.metric['consumergroup']}/${row.metric['topic']}/${row.metric['partition']}`));
		const live = snapshot.kafka.data.groups.filter(group => group.status !== 'GONE');
		expect(live.map(group => group.group)).toEqual(expect.arrayContaining(['kmon-lagging', 'kmon-stopped']));
		for (const group of live) {
			const expected = lags
				.filter(row => row.metric['consumergroup'] === group.group && row.metric['topic'] === group.topic)
				.filter(row => committed.has(`${group.group}/${group.topic}/${row.metric['partition']}`))
				.reduce((sum, row) => sum + Math.max(0, row.value), 0);
			close(group.lag.value, expected);
			expect(group.partitionLags.length).toBeGreaterThan(0);
		}
	});

	test('then the stopped group becomes STOP, with lag above zero and no members, once a whole window passed without commits', async () => {
		// The stopped group committed once when the stack started; a 1 minute window without commits makes it STOP.
		const stopped = await eventually('kmon-stopped to be STOP', async () => {
			const result = await kmon(['--once', '--json', '--prometheus', prometheusUrl, '--range', '1m']);
			const fresh = JSON.parse(result.stdout) as Snapshot;
			const group = fresh.kafka.state === 'ok' ? fresh.kafka.data.groups.find(item => item.group === 'kmon-stopped') : undefined;
			return group?.status === 'STOP' ? group : undefined;
		}, 150_000);
		expect(stopped.members).toBe(0);
		expect(stopped.lag.value).toBeGreaterThan(0);
		expect(stopped.statusReason).toMatch(/no members, and offsets did not move for 1m/);
	}, 180_000);

	test('then broker messages in per second equal the JMX exporter\'s all-topics rate', async () => {
		if (snapshot.kafka.state !== 'ok' || snapshot.kafka.data.brokers.state !== 'ok') {
			throw new Error('broker section missing');
		}

		const [row] = await promql('sum(rate(kafka_server_brokertopicmetrics_messagesin_total{job="jmx-exporter", topic=""}[1m]))', snapshot.takenAt);
		close(snapshot.kafka.data.brokers.data.messagesInPerSecond.value, row!.value);
		expect(row!.value).toBeGreaterThan(0);
	});

	test('then each container\'s CPU equals cAdvisor\'s rate in percent of one core', async () => {
		if (snapshot.containers.state !== 'ok') {
			throw new Error('containers section missing');
		}

		expect(snapshot.containers.data.containers.length).toBeGreaterThan(0);
		const rates = await promql('rate(container_cpu_usage_seconds_total[1m])', snapshot.takenAt);
		for (const container of snapshot.containers.data.containers.slice(0, 5)) {
			// cAdvisor reports either a cpu="total" series or one per core; never both are added.
			const mine = rates.filter(row => row.metric['id'] === container.id);
			const total = mine.filter(row => row.metric['cpu'] === 'total');
			const expected = (total.length > 0 ? total : mine).reduce((sum, row) => sum + row.value, 0) * 100;
			close(container.cpuPercent.value, expected);
		}
	});

	test('then the k6 rate per endpoint equals statsd_exporter\'s request counter rate per name', async () => {
		if (snapshot.k6.state !== 'ok') {
			throw new Error('k6 section missing');
		}

		expect(snapshot.k6.data.tagged).toBe(true);
		expect(snapshot.k6.data.tagKeys).toEqual(expect.arrayContaining(['method', 'name', 'status']));
		expect(snapshot.k6.data.byTag.length).toBeGreaterThan(1);
		const rates = await promql('rate(k6_http_reqs{job="statsd-exporter"}[1m])', snapshot.takenAt);
		for (const row of snapshot.k6.data.byTag) {
			const expected = rates.filter(rate => rate.metric['name'] === row.value).reduce((sum, rate) => sum + rate.value, 0);
			close(row.requestsPerSecond.value, expected);
		}
	});

	test('then unknown values are null, never NaN, and histories match the window', () => {
		const text = JSON.stringify(snapshot);
		expect(text).not.toMatch(/NaN|Infinity/);
		if (snapshot.kafka.state === 'ok') {
			for (const group of snapshot.kafka.data.groups) {
				expect(group.lag.history).toHaveLength(snapshot.window.points);
			}
		}
	});
});

describe('Given a reader slower than kmon, through a pipe', () => {
	test('when kmon --once --json is piped to it, then the whole document arrives (kmon exits only once its output drained)', async () => {
		// The pipe fills (64 KiB) long before the reader starts; what is still queued must not be lost at exit.
		const {stdout} = await run('sh', ['-c', `node bin/kmon.js --once --json --prometheus ${prometheusUrl} | (sleep 2; cat)`], {maxBuffer: 64 * 1024 * 1024});
		expect(stdout.length).toBeGreaterThan(65_536);
		expect((JSON.parse(stdout) as Snapshot).schema).toBe(1);
	});
});

describe('Given Prometheus cannot be reached', () => {
	test('then --once exits 3 with the reason and a fix, and --json still prints a snapshot', async () => {
		const text = await kmon(['--once', '--prometheus', 'http://127.0.0.1:1']);
		expect(text.code).toBe(3);
		expect(text.stdout).toMatch(/cannot reach Prometheus at http:\/\/127\.0\.0\.1:1: connection refused/);
		expect(text.stdout).toMatch(/fix: /);
		const json = await kmon(['--once', '--json', '--prometheus', 'http://127.0.0.1:1']);
		expect(json.code).toBe(3);
		expect(JSON.parse(json.stdout)).toMatchObject({schema: 1, kafka: {state: 'failed', error: {kind: 'unreachable'}}});
	});

	test('then credentials given in the URL never appear in the output', async () => {
		const result = await kmon(['--once', '--json', '--prometheus', 'http://ann:hunter2-secret@127.0.0.1:1']);
		expect(result.stdout + result.stderr).not.toContain('hunter2');
	});
});
