import {escapeControls} from '../format/escape-controls.js';
import {
	formatBytes, formatBytesPerSecond, formatCount, formatMilliseconds, formatPercent, formatRate, formatSpan, unknown,
} from '../format/units.js';
import {groupsUnknown} from '../snapshot/groups-unknown.js';
import type {Brokers, ConsumerGroup, Container, K6, K6TagRow, Section, Snapshot} from '../snapshot/types.js';
import {type Column, renderTable} from './table.js';

/**
 * `kmon --once`: every domain and every diagnostic as plain text, `width` columns wide. Names, tag values and
 * errors come from outside: every line leaves with its control characters escaped.
 */
export function renderText(snapshot: Snapshot, width: number): string {
	const {prometheus, window, families} = snapshot;
	const header = [
		`kmon · ${prometheus.url} (Prometheus ${prometheus.version ?? unknown}) · ${snapshot.takenAt} · window ${formatSpan(window.rangeSeconds)}`,
		`${prometheus.queries} queries, ${formatBytes(prometheus.bytes)}, ${prometheus.pollMs} ms · families: ${[families.jmx, families.k6, families.cadvisor].map(family => family ?? unknown).join(', ')}`,
	];
	const failure = [snapshot.kafka, snapshot.containers, snapshot.k6].every(part => part.state === 'failed');
	const body = failure ? [] : [
		'',
		...section('KAFKA consumer groups', snapshot.kafka, kafka => kafka.groups.length === 0
			? noGroupLines(snapshot)
			: [
				`total lag ${formatCount(kafka.totalLag.value)} over ${formatCount(kafka.groupCount)} group-topic pairs${(kafka.groupCount ?? 0) > kafka.groups.length ? ` (showing the ${kafka.groups.length} busiest or in trouble)` : ''}`,
				...renderTable(groupColumns, kafka.groups, width),
			]),
		'',
		...section('KAFKA brokers', snapshot.kafka, kafka => kafka.brokers.state === 'ok' ? brokerLines(kafka.brokers.data) : sectionProblem(kafka.brokers)),
		'',
		...section('CONTAINERS (CPU in % of one core)', snapshot.containers, ({containers, total}) => containers.length === 0
			? ['no containers']
			: [...renderTable(containerColumns, containers, width), ...(total > containers.length ? [`… ${total - containers.length} more`] : [])]),
		'',
		...section('K6', snapshot.k6, k6 => k6Lines(k6, width)),
	];
	const lines = [
		...header,
		...body,
		'',
		'DIAGNOSTICS',
		...(snapshot.diagnostics.length === 0
			? ['none']
			: snapshot.diagnostics.flatMap(diagnostic => [`${diagnostic.severity.toUpperCase().padEnd(7)} ${diagnostic.message}`, `        fix: ${diagnostic.fix}`])),
	];
	return lines.map(line => escapeControls(line)).join('\n');
}

/** An empty list is "none" only when kafka_exporter's series are there to say so. */
function noGroupLines(snapshot: Snapshot): string[] {
	const unknownWhy = groupsUnknown(snapshot);
	return unknownWhy ? [`consumer groups unknown: ${unknownWhy.message}`, `fix: ${unknownWhy.fix}`] : ['no consumer groups with committed offsets'];
}

function section<T>(title: string, state: Section<T>, render: (data: T) => string[]): string[] {
	return [title, ...(state.state === 'ok' ? render(state.data) : sectionProblem(state))];
}

function sectionProblem<T>(state: Exclude<Section<T>, {state: 'ok'}>): string[] {
	switch (state.state) {
		case 'absent': {
			return [`no data: ${state.reason}`, `fix: ${state.fix}`];
		}

		case 'failed': {
			return [`failed (${state.error.kind}): ${state.error.message}`];
		}

		case 'skipped': {
			return ['not collected'];
		}
	}
}

const groupColumns: Array<Column<ConsumerGroup>> = [
	{header: 'GROUP', cell: group => group.group, priority: 0},
	{header: 'TOPIC', cell: group => group.topic, priority: 1},
	{header: 'STATUS', cell: group => group.status, priority: 0},
	{header: 'LAG', cell: group => formatCount(group.lag.value), align: 'right', priority: 0},
	{header: 'TREND', cell: group => group.trend ?? unknown, priority: 2},
	{header: 'DRAIN', cell: group => formatSpan(group.secondsToDrain), align: 'right', priority: 3},
	{header: 'CONSUME', cell: group => formatRate(group.consumeRate), align: 'right', priority: 2},
	{header: 'PRODUCE', cell: group => formatRate(group.produceRate), align: 'right', priority: 2},
	{header: 'MEMBERS', cell: group => formatCount(group.members), align: 'right', priority: 3},
	{header: 'PARTS', cell: group => formatCount(group.partitions), align: 'right', priority: 4},
];

function brokerLines(brokers: Brokers): string[] {
	const heap = brokers.heapMaxBytes === null ? formatBytes(brokers.heapUsedBytes.value) : `${formatBytes(brokers.heapUsedBytes.value)} / ${formatBytes(brokers.heapMaxBytes)}`;
	return [
		`brokers ${formatCount(brokers.brokers)}${brokers.brokersFrom === 'jmx-controller' ? ' (the controller\'s active brokers, over JMX)' : ''} · active controllers ${formatCount(brokers.activeControllers)} · under-replicated ${formatCount(brokers.underReplicatedPartitions)} · offline ${formatCount(brokers.offlinePartitions)}`,
		`messages in ${formatRate(brokers.messagesInPerSecond.value)} · bytes in ${formatBytesPerSecond(brokers.bytesInPerSecond.value)} · bytes out ${formatBytesPerSecond(brokers.bytesOutPerSecond.value)} · requests ${formatRate(brokers.requestsPerSecond.value)}`,
		`produce p99 ${formatMilliseconds(brokers.produceP99Ms)} · fetch p99 ${formatMilliseconds(brokers.fetchP99Ms)} · heap ${heap} · GC ${formatPercent(brokers.gcSecondsPerSecond === null ? null : brokers.gcSecondsPerSecond * 100)} of time`,
	];
}

const containerColumns: Array<Column<Container>> = [
	{header: 'NAME', cell: container => container.name, priority: 0},
	{header: 'CPU', cell: container => formatPercent(container.cpuPercent.value), align: 'right', priority: 0},
	{header: 'MEMORY', cell: container => formatBytes(container.memoryWorkingSetBytes.value), align: 'right', priority: 0},
	{header: 'LIMIT', cell: container => container.memoryLimitBytes === null ? 'none' : formatBytes(container.memoryLimitBytes), align: 'right', priority: 2},
	{header: 'NET RX', cell: container => formatBytesPerSecond(container.networkReceiveBytesPerSecond), align: 'right', priority: 1},
	{header: 'NET TX', cell: container => formatBytesPerSecond(container.networkTransmitBytesPerSecond), align: 'right', priority: 1},
	{header: 'DISK R', cell: container => formatBytesPerSecond(container.diskReadBytesPerSecond), align: 'right', priority: 3},
	{header: 'DISK W', cell: container => formatBytesPerSecond(container.diskWriteBytesPerSecond), align: 'right', priority: 3},
	{header: 'SERVICE', cell: container => container.composeService ?? unknown, priority: 4},
];

function k6Lines(k6: K6, width: number): string[] {
	const {totals} = k6;
	const columns: Array<Column<K6TagRow>> = [
		{header: k6.tagKey.toUpperCase(), cell: row => row.value, priority: 0},
		{header: 'REQ/S', cell: row => formatCount(row.requestsPerSecond.value), align: 'right', priority: 0},
		{header: 'FAILED', cell: row => formatPercent(row.failedPercent.value), align: 'right', priority: 0},
		{header: 'P95', cell: row => formatMilliseconds(row.p95Ms.value), align: 'right', priority: 1},
		{header: 'P99', cell: row => formatMilliseconds(row.p99Ms.value), align: 'right', priority: 2},
		{header: 'REQUESTS', cell: row => formatCount(row.requests), align: 'right', priority: 3},
	];
	const total: K6TagRow = {...totals, value: '(all)'};
	return [
		`VUs ${formatCount(totals.vus.value)} · iterations ${formatRate(totals.iterationsPerSecond.value)} · checks ${formatCount(totals.checksPassed)} passed, ${formatCount(totals.checksFailed)} failed`,
		`tag keys: ${k6.tagKeys.length === 0 ? 'none (requests arrive untagged)' : k6.tagKeys.join(', ')}`,
		...renderTable(columns, [total, ...k6.byTag], width),
		...(k6.tagValueCount > k6.byTag.length ? [`… ${k6.tagValueCount - k6.byTag.length} more ${k6.tagKey} values`] : []),
	];
}
