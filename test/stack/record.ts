// `npm run stack:record`: collects snapshots from the running real stack (npm run stack:up) and keeps every
// Prometheus answer kmon used, so unit tests replay real data. Each file says what produced it.
import {mkdirSync, writeFileSync} from 'node:fs';
import process from 'node:process';
import {PrometheusClient} from '../../source/prometheus/client.js';
import {allDomains, type CollectOptions, collectSnapshot} from '../../source/snapshot/collect.js';
import {recordingQuerier, type Recording} from '../support/recorded-querier.js';

const url = process.env['KMON_PROMETHEUS_URL'] ?? 'http://127.0.0.1:9090';
const name = process.argv[2] ?? 'stack';
const directory = new URL('../fixtures/prometheus/', import.meta.url);

const client = new PrometheusClient({url, credentials: {kind: 'none'}, headers: {}, timeoutMs: 10_000});
const {querier, calls} = recordingQuerier(client);
const options: CollectOptions = {
	url,
	domains: allDomains,
	rangeMs: 300_000,
	points: 60,
	tagKey: 'name',
	partitions: 'all',
	containerSort: 'cpu',
	limit: 50,
};
const now = new Date();
const snapshot = await collectSnapshot(querier, options, now);
const recording: Recording & {options: CollectOptions} = {
	about: {
		recordedAt: now.toISOString(),
		command: `npm run stack:record -- ${name}`,
		prometheus: snapshot.prometheus.version ?? 'unknown',
		components: await componentVersions(),
	},
	now: now.toISOString(),
	options,
	calls,
};
mkdirSync(directory, {recursive: true});
const file = new URL(`${name}.json`, directory);
writeFileSync(file, `${JSON.stringify(recording, null, '\t')}\n`);
writeFileSync(new URL(`${name}.snapshot.json`, directory), `${JSON.stringify(snapshot, null, '\t')}\n`);
console.log(`recorded ${calls.length} answers to ${file.pathname}`);

/** Versions as the components report them to Prometheus themselves. */
async function componentVersions(): Promise<string> {
	const infos = await client.instant('{__name__=~"kafka_exporter_build_info|jmx_exporter_build_info|statsd_exporter_build_info|cadvisor_version_info|prometheus_build_info"}', new Date());
	if (!infos.ok) {
		return 'unknown';
	}

	const versions = infos.value.map(sample => `${sample.labels['job']}: ${sample.labels['version'] ?? sample.labels['cadvisorVersion'] ?? 'no version stamp (go install build)'}`);
	return [...new Set(versions)].sort().join(', ');
}
