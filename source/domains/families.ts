import type {Result} from '../prometheus/client.js';
import {anyOf, quoteLabelValue} from '../prometheus/promql.js';
import type {Querier} from '../prometheus/querier.js';
import type {Diagnostic, Families} from '../snapshot/types.js';

/** Which metric-name family each domain speaks, and the job matchers that keep two families from mixing. */
export type Selection = {
	families: Families;
	/** e.g. `job="jmx-exporter"`; empty when one job (or none) exports broker metrics. */
	jmxJobMatcher: string;
	k6JobMatcher: string;
	/** kafka_exporter's series are in Prometheus. */
	kafkaExporter: boolean;
	diagnostics: Diagnostic[];
};

// The names that tell families apart. JMX exporter 1.x appends `_total` to counters its rules name
// `…_count`, so the request-time count is the cleanest marker of the generation.
const markers = {
	kafkaExporter: 'kafka_brokers',
	broker: 'kafka_server_replicamanager_underreplicatedpartitions',
	jmxNew: 'kafka_network_requestmetrics_totaltimems_count_total',
	jmxOld: 'kafka_network_requestmetrics_totaltimems_count',
	k6Histogram: 'k6_http_req_duration_bucket',
	k6Summary: 'k6_http_req_duration',
	k6RemoteWrite: 'k6_http_reqs_total',
} as const;

export const familyQueries = {
	markers: `count by (job, __name__) ({__name__=~"${Object.values(markers).join('|')}"})`,
	namedContainers: 'count(container_cpu_usage_seconds_total{name!=""}) or vector(0)',
	containers: 'count(container_cpu_usage_seconds_total) or vector(0)',
};

export async function detectFamilies(querier: Querier, at: Date): Promise<Result<Selection>> {
	const [found, named, all] = await Promise.all([
		querier.instant(familyQueries.markers, at),
		querier.instant(familyQueries.namedContainers, at),
		querier.instant(familyQueries.containers, at),
	]);
	if (!found.ok) {
		return found;
	}

	if (!named.ok) {
		return named;
	}

	if (!all.ok) {
		return all;
	}

	const jobsWith = (name: string) => [...new Set(found.value
		.filter(sample => sample.labels['__name__'] === name)
		.map(sample => sample.labels['job'] ?? ''))].sort();

	const diagnostics: Diagnostic[] = [];
	const brokerJobs = jobsWith(markers.broker);
	const newJobs = jobsWith(markers.jmxNew).filter(job => brokerJobs.includes(job));
	const oldJobs = jobsWith(markers.jmxOld).filter(job => brokerJobs.includes(job));
	const jmxJobs = newJobs.length > 0 ? newJobs : (oldJobs.length > 0 ? oldJobs : brokerJobs);
	const jmx: Families['jmx'] = newJobs.length > 0 ? 'jmx-exporter-1.x' : (brokerJobs.length > 0 ? 'jmx-exporter-0.x' : null);
	if (jmxJobs.length > 0 && jmxJobs.length < brokerJobs.length) {
		diagnostics.push({
			id: 'jmx-several-jobs',
			severity: 'info',
			area: 'kafka',
			message: `broker metrics come from ${brokerJobs.length} jobs (${brokerJobs.join(', ')}); kmon shows ${jmxJobs.join(', ')} (${jmx}) so no broker is counted twice`,
			fix: 'scrape each broker with one JMX exporter',
		});
	}

	const histogramJobs = jobsWith(markers.k6Histogram);
	const summaryJobs = jobsWith(markers.k6Summary);
	const remoteWriteJobs = jobsWith(markers.k6RemoteWrite);
	const [k6, k6Jobs]: [Families['k6'], string[]] = histogramJobs.length > 0
		? ['statsd-histogram', histogramJobs]
		: summaryJobs.length > 0
			? ['statsd-summary', summaryJobs]
			: (remoteWriteJobs.length > 0 ? ['prometheus-remote-write', remoteWriteJobs] : [null, []]);

	const namedCount = named.value[0]?.value ?? 0;
	const allCount = all.value[0]?.value ?? 0;
	const cadvisor: Families['cadvisor'] = namedCount > 0 ? 'cadvisor-named' : (allCount > 0 ? 'cadvisor-unnamed' : null);

	const mixedK6 = new Set([...histogramJobs, ...summaryJobs, ...remoteWriteJobs]).size > k6Jobs.length;
	return {
		ok: true,
		value: {
			families: {jmx, k6, cadvisor},
			jmxJobMatcher: jmxJobs.length > 0 && jmxJobs.length < brokerJobs.length ? jobMatcher(jmxJobs) : '',
			// Remote-write series carry no job label, so only statsd families are narrowed by job.
			kafkaExporter: jobsWith(markers.kafkaExporter).length > 0,
			k6JobMatcher: mixedK6 && k6 !== 'prometheus-remote-write' ? jobMatcher(k6Jobs) : '',
			diagnostics,
		},
	};
}

function jobMatcher(jobs: string[]): string {
	return jobs.length === 1 ? `job=${quoteLabelValue(jobs[0]!)}` : `job=~${anyOf(jobs)}`;
}
