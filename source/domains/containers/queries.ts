// Every PromQL expression kmon sends about containers, all from cAdvisor. CPU is in percent of one core.

import {rateWindow} from '../kafka/queries.js';

/** The labels that identify a container; Docker's name and compose labels are missing for raw cgroups. */
export const containerLabels = ['id', 'name', 'image', 'container_label_com_docker_compose_service', 'container_label_com_docker_compose_project'] as const;

/** The busiest list carries every identifying label; details are matched to it by `id` alone. */
const byIdentity = `sum by (${containerLabels.join(', ')})`;
const byId = 'sum by (id)';

export type ContainerSort = 'cpu' | 'memory';

/** Containers with Docker names when cAdvisor has them; otherwise every cgroup but the root (the machine). */
export const namedScope = 'name!=""';
export const cgroupScope = 'id!="/"';

// cAdvisor reports CPU either as one `cpu="total"` series or per core (`cpu00`, `cpu01`…, when per-CPU
// metrics are on; a core that never ran the container has no series). The total wins where it exists, so
// nothing is counted twice.
const cpu = (selector: string, by: string) => `100 * (${by} (rate(container_cpu_usage_seconds_total{${selector}, cpu="total"}[${rateWindow}]))`
	+ ` or ${by} (rate(container_cpu_usage_seconds_total{${selector}, cpu!="total"}[${rateWindow}])))`;
const memory = (selector: string, by: string) => `${by} (container_memory_working_set_bytes{${selector}})`;
const perSecond = (metric: string, selector: string) => `${byId} (rate(${metric}{${selector}}[${rateWindow}]))`;

export const containerQueries = {
	count: (scope: string) => `count(count by (id) (container_cpu_usage_seconds_total{${scope}}))`,
	busiest: (scope: string, limit: number, sort: ContainerSort) => `topk(${limit}, ${sort === 'cpu' ? cpu(scope, byIdentity) : memory(scope, byIdentity)})`,
	/** `selector` names the containers to detail, e.g. `name!="", id=~"…"`. */
	details: (selector: string) => ({
		cpu: {instant: cpu(selector, byId)},
		cpuHistory: {range: cpu(selector, byId)},
		memory: {instant: memory(selector, byId)},
		memoryHistory: {range: memory(selector, byId)},
		memoryLimit: {instant: `${byId} (container_spec_memory_limit_bytes{${selector}})`},
		receive: {instant: perSecond('container_network_receive_bytes_total', selector)},
		transmit: {instant: perSecond('container_network_transmit_bytes_total', selector)},
		reads: {instant: perSecond('container_fs_reads_bytes_total', selector)},
		writes: {instant: perSecond('container_fs_writes_bytes_total', selector)},
	}),
};
