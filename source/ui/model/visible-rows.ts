import type {ConsumerGroup, Container, Diagnostic, GroupStatus, K6, K6TagRow, Kafka, Snapshot} from '../../snapshot/types.js';
import type {ContainerOrder, GroupSort, ListId, UiState} from '../state/ui-state.js';

/** One partition of the opened group, flattened over the group's topics. */
export type PartitionRow = {
	topic: string;
	partition: number;
	lag: number | null;
	committedOffset: number | null;
	logEndOffset: number | null;
};

export const groupKey = (group: ConsumerGroup) => `${group.group}\u0000${group.topic}`;
export const partitionKey = (row: PartitionRow) => `${row.topic}\u0000${row.partition}`;
export const containerKey = (container: Container) => container.id;
export const tagRowKey = (row: K6TagRow) => row.value;
export const diagnosticKey = (diagnostic: Diagnostic) => diagnostic.id;

/** Worst first: what needs a person's attention sorts to the top. */
const statusRank: Record<GroupStatus, number> = {STOP: 0, STALL: 1, REWIND: 2, WARN: 3, GONE: 4, OK: 5};
const severityRank: Record<Diagnostic['severity'], number> = {error: 0, warning: 1, info: 2};

const contains = (filter: string, ...texts: Array<string | null>) => {
	const needle = filter.toLowerCase();
	return needle === '' || texts.some(text => text?.toLowerCase().includes(needle));
};

/** Bigger first, unknown last: an unknown value is not a small one. */
const descending = (a: number | null, b: number | null) => (b ?? Number.NEGATIVE_INFINITY) - (a ?? Number.NEGATIVE_INFINITY) || 0;

export function groupRows(kafka: Kafka, filter: string, sort: GroupSort): ConsumerGroup[] {
	const rows = kafka.groups.filter(group => contains(filter, group.group, group.topic));
	const byName = (a: ConsumerGroup, b: ConsumerGroup) => a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic);
	switch (sort) {
		case 'status': {
			return rows.sort((a, b) => statusRank[a.status] - statusRank[b.status] || descending(a.lag.value, b.lag.value) || byName(a, b));
		}

		case 'lag': {
			return rows.sort((a, b) => descending(a.lag.value, b.lag.value) || byName(a, b));
		}

		case 'name': {
			return rows.sort(byName);
		}
	}
}

export function partitionRows(kafka: Kafka, group: string): PartitionRow[] {
	return kafka.groups
		.filter(row => row.group === group)
		.flatMap(row => row.partitionLags.map(partition => ({topic: row.topic, ...partition})))
		.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

export function containerRows(containers: Container[], filter: string, order: ContainerOrder): Container[] {
	const rows = containers.filter(container => contains(filter, container.name, container.composeService, container.composeProject, container.image));
	switch (order) {
		case 'cpu': {
			return rows.sort((a, b) => descending(a.cpuPercent.value, b.cpuPercent.value) || a.name.localeCompare(b.name));
		}

		case 'memory': {
			return rows.sort((a, b) => descending(a.memoryWorkingSetBytes.value, b.memoryWorkingSetBytes.value) || a.name.localeCompare(b.name));
		}

		case 'name': {
			return rows.sort((a, b) => a.name.localeCompare(b.name));
		}
	}
}

export function tagRows(k6: K6, filter: string): K6TagRow[] {
	return k6.byTag.filter(row => contains(filter, row.value));
}

export function diagnosticRows(diagnostics: Diagnostic[]): Diagnostic[] {
	return [...diagnostics].sort((a, b) => severityRank[a.severity] - severityRank[b.severity]);
}

/** Keys of the rows ↑/↓ move through now, in the order they are shown. */
export function activeRowKeys(snapshot: Snapshot | null, ui: UiState, list: ListId): string[] {
	if (!snapshot) {
		return [];
	}

	switch (list) {
		case 'overview': {
			return diagnosticRows(snapshot.diagnostics).map(diagnosticKey);
		}

		case 'kafka': {
			return snapshot.kafka.state === 'ok' ? groupRows(snapshot.kafka.data, ui.filters.kafka, ui.groupSort).map(groupKey) : [];
		}

		case 'partitions': {
			return snapshot.kafka.state === 'ok' && ui.openGroup !== null ? partitionRows(snapshot.kafka.data, ui.openGroup).map(partitionKey) : [];
		}

		case 'containers': {
			return snapshot.containers.state === 'ok'
				? containerRows(snapshot.containers.data.containers, ui.filters.containers, ui.containerOrder).map(containerKey)
				: [];
		}

		case 'k6': {
			return snapshot.k6.state === 'ok' ? tagRows(snapshot.k6.data, ui.filters.k6).map(tagRowKey) : [];
		}
	}
}

/** The selected row among `rows`: the remembered one if still shown, else the first. */
export function selectedRow<Row>(rows: Row[], key: (row: Row) => string, selected: string | null): Row | undefined {
	return rows.find(row => key(row) === selected) ?? rows[0];
}
