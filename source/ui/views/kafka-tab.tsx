import {formatCount, formatRate, formatSpan} from '../../format/units.js';
import type {ConsumerGroup, Diagnostic} from '../../snapshot/types.js';
import {Lines} from '../components/lines.js';
import {sparkColumn, tableLines, type TableColumn} from '../components/data-table.js';
import {sectionNoticeLines, staleBannerLines, targetDownLines} from '../components/section-notice.js';
import type {Glyphs} from '../glyphs.js';
import {groupsUnknown} from '../../snapshot/groups-unknown.js';
import {groupKey, groupRows, selectedRow} from '../model/visible-rows.js';
import type {Palette} from '../palette.js';
import {type Line, plain, styled} from '../text/styled-text.js';
import {type Theme, useTheme} from '../theme.js';
import {brokersPanelLines} from './brokers-panel.js';
import {listTitleLine} from './list-title.js';
import {partitionLagLines} from './partition-lag.js';
import type {ViewProps} from './view-props.js';

/** Lines for the brokers panel (title and two of figures), when the tab is tall enough to spare them. */
const brokerLines = 3;

export function KafkaTab(props: ViewProps) {
	const theme = useTheme();
	return <Lines lines={kafkaLines(props, theme).slice(0, props.height)} width={props.width}/>;
}

export function kafkaLines({snapshot, ui, width, height, sparkWidth, domainErrors, runCells}: ViewProps, theme: Theme): Line[] {
	if (snapshot.kafka.state !== 'ok') {
		return [...targetDownLines(snapshot, 'kafka', theme), ...sectionNoticeLines(snapshot.kafka, 'Kafka data', theme)];
	}

	const kafka = snapshot.kafka.data;
	const banner = [...targetDownLines(snapshot, 'kafka', theme), ...staleBannerLines(domainErrors.kafka, 'Kafka data', theme)];
	if (ui.openGroup !== null) {
		return [...banner, ...partitionLagLines(kafka, {group: ui.openGroup, selected: ui.selected.partitions, width, height: height - banner.length}, theme)];
	}

	const rows = groupRows(kafka, ui.filters.kafka, ui.groupSort);
	const selected = selectedRow(rows, groupKey, ui.selected.kafka);
	const brokers = height >= 14 ? brokerLines : 0;
	const tableHeight = height - banner.length - 1 - (selected ? 1 : 0) - (brokers > 0 ? brokers + 1 : 0);
	const gone = kafka.groups.filter(group => group.status === 'GONE').length;
	const unknown = kafka.groups.length === 0 ? groupsUnknown(snapshot) : undefined;
	const title = listTitleLine({
		title: 'CONSUMER GROUPS',
		details: [
			unknown ? 'unknown' : `${rows.length === kafka.groups.length ? kafka.groups.length : `${rows.length} of ${kafka.groups.length}`}${gone > 0 ? ` (${gone} gone)` : ''}`,
			`sort ${ui.groupSort}`,
		],
		filter: ui.filters.kafka,
		editingFilter: ui.editingFilter,
	}, theme);
	const table = kafka.groups.length === 0
		? noGroupLines(unknown, theme)
		: tableLines({
			columns: groupColumns(theme.glyphs, theme.palette, sparkWidth),
			rows,
			rowKey: groupKey,
			selectedKey: ui.selected.kafka,
			emptyText: 'no consumer group matches the filter (Esc clears it)',
			width,
			height: Math.max(2, tableHeight),
			muted: group => group.status === 'GONE',
			runCells,
		}, theme);
	const reason: Line[] = selected
		? [[styled(`${selected.group}: ${selected.status}${lastSeen(selected)}, ${selected.statusReason}`, {colour: theme.palette.status(selected.status)})]]
		: [];
	const panel = brokers > 0 ? [[], ...brokersPanelLines(kafka.brokers, {width, lines: brokers, sparkWidth, runCells}, theme)] : [];
	return [...banner, title, ...table, ...reason, ...panel];
}

export function groupColumns(glyphs: Glyphs, palette: Palette, sparkWidth: number): Array<TableColumn<ConsumerGroup>> {
	const trend: Record<NonNullable<ConsumerGroup['trend']>, string> = {
		growing: `${glyphs.growing} growing`,
		draining: `${glyphs.draining} draining`,
		flat: `${glyphs.flat} flat`,
	};
	return [
		{header: 'GROUP', cell: group => group.status === 'GONE' ? `${group.group} (gone)` : group.group, priority: 0},
		{header: 'TOPIC', cell: group => group.topic, priority: 1},
		{header: 'STATUS', cell: group => group.status, priority: 0, colour: group => palette.status(group.status)},
		{header: 'LAG', cell: group => formatCount(group.lag.value), align: 'right', priority: 0},
		sparkColumn('LAG HISTORY', group => group.lag.history, sparkWidth, 1),
		{header: 'TREND', cell: group => group.trend === null ? formatCount(null) : trend[group.trend], priority: 2},
		{header: 'DRAIN', cell: group => formatSpan(group.secondsToDrain), align: 'right', priority: 3},
		{header: 'CONSUME', cell: group => formatRate(group.consumeRate), align: 'right', priority: 2},
		{header: 'PRODUCE', cell: group => formatRate(group.produceRate), align: 'right', priority: 2},
		{header: 'MEMBERS', cell: group => formatCount(group.members), align: 'right', priority: 3},
		{header: 'PARTS', cell: group => formatCount(group.partitions), align: 'right', priority: 4},
	];
}

function lastSeen(group: ConsumerGroup): string {
	return group.status === 'GONE' && group.lastSeen ? ` (last seen ${group.lastSeen.slice(11, 19)} UTC)` : '';
}

/** An empty list: either no group has committed yet, or groups are unknown (no kafka_exporter series). */
function noGroupLines(unknown: Diagnostic | undefined, theme: Theme): Line[] {
	return unknown
		? [[styled(`${theme.glyphs.warning} ${unknown.message}`, {colour: theme.palette.severity('warning')})], [plain(`  fix: ${unknown.fix}`)]]
		: [[styled('no consumer groups: kafka_exporter lists a group once it has committed offsets', {dim: true})]];
}
