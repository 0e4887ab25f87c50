import type {Labels, Result} from '../../prometheus/client.js';
import {fetchAll} from '../../prometheus/fetch-all.js';
import {anyOf} from '../../prometheus/promql.js';
import {emptyHistory, finite, indexHistories, indexSamples, largestFirst, scalarOf} from '../../prometheus/series.js';
import type {Container, Containers} from '../../snapshot/types.js';
import type {CollectContext} from '../context.js';
import {nextWave} from '../next-wave.js';
import {cgroupScope, containerQueries, type ContainerSort, namedScope} from './queries.js';

export type ContainerOptions = {limit: number; sort: ContainerSort};

export async function collectContainers(context: CollectContext, options: ContainerOptions): Promise<Result<Containers>> {
	const {querier, at, window, selection} = context;
	const scope = selection.families.cadvisor === 'cadvisor-named' ? namedScope : cgroupScope;
	const details = nextWave(context.choices, 'containers', async (ids: string[]) =>
		fetchAll(querier, containerQueries.details(`${scope}, id=~${anyOf(ids)}`), at, window));
	const [count, busiest] = await Promise.all([
		querier.instant(containerQueries.count(scope), at),
		querier.instant(containerQueries.busiest(scope, options.limit, options.sort), at),
	]);
	if (!count.ok) {
		return count;
	}

	if (!busiest.ok) {
		return busiest;
	}

	const busiestFirst = largestFirst(busiest.value, ['id']);
	const ids = busiestFirst.map(sample => sample.labels['id'] ?? '');
	const fetched = await details(ids.length > 0 ? ids : undefined);
	if (!fetched) {
		return {ok: true, value: {containers: [], total: scalarOf(count.value) ?? 0}};
	}

	if (!fetched.ok) {
		return fetched;
	}

	const data = fetched.value;
	const id = ['id'] as const;
	const cpu = indexSamples(data.cpu, id);
	const cpuHistory = indexHistories(data.cpuHistory, id);
	const memory = indexSamples(data.memory, id);
	const memoryHistory = indexHistories(data.memoryHistory, id);
	const limit = indexSamples(data.memoryLimit, id);
	const receive = indexSamples(data.receive, id);
	const transmit = indexSamples(data.transmit, id);
	const reads = indexSamples(data.reads, id);
	const writes = indexSamples(data.writes, id);

	const containers = busiestFirst.map(({labels}): Container => {
		const key = labels['id'] ?? '';
		const memoryLimit = finite(limit.get(key));
		return {
			id: key,
			...containerName(labels),
			composeProject: labels['container_label_com_docker_compose_project'] || null,
			composeService: labels['container_label_com_docker_compose_service'] || null,
			image: labels['image'] || null,
			cpuPercent: {value: finite(cpu.get(key)), history: cpuHistory.get(key) ?? emptyHistory(window.points)},
			memoryWorkingSetBytes: {value: finite(memory.get(key)), history: memoryHistory.get(key) ?? emptyHistory(window.points)},
			// cAdvisor reports 0 for "no limit".
			memoryLimitBytes: memoryLimit === 0 ? null : memoryLimit,
			networkReceiveBytesPerSecond: finite(receive.get(key)),
			networkTransmitBytesPerSecond: finite(transmit.get(key)),
			diskReadBytesPerSecond: finite(reads.get(key)),
			diskWriteBytesPerSecond: finite(writes.get(key)),
			docker: null,
			monitoringStack: labels['container_label_com_docker_compose_project'] === 'kmon',
		};
	});

	return {ok: true, value: {containers, total: scalarOf(count.value) ?? containers.length}};
}

/** Docker's name, else the compose service, else a short form of the cgroup id. */
export function containerName(labels: Labels): Pick<Container, 'name' | 'nameSource'> {
	if (labels['name']) {
		return {name: labels['name'], nameSource: 'name'};
	}

	const service = labels['container_label_com_docker_compose_service'];
	if (service) {
		return {name: service, nameSource: 'compose-service'};
	}

	const id = labels['id'] ?? '';
	const last = id.split('/').filter(Boolean).at(-1) ?? id;
	// Docker ids are 64 hex characters (bare, or in a systemd scope "docker-<id>.scope"); the first 12 are
	// what `docker ps` shows.
	const docker = /^(?:docker-)?([\da-f]{64})(?:\.scope)?$/.exec(last);
	return {name: docker ? docker[1]!.slice(0, 12) : (last || id), nameSource: 'id'};
}
