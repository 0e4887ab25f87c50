import {formatCount} from '../../format/units.js';
import type {Kafka} from '../../snapshot/types.js';
import {tableLines, type TableColumn} from '../components/data-table.js';
import {type PartitionRow, partitionKey, partitionRows} from '../model/visible-rows.js';
import {type Line, styled} from '../text/styled-text.js';
import type {Theme} from '../theme.js';

/**
 * Offsets grow on every poll; they are rounded like every other count, so a row does not change on every
 * poll for a digit nobody reads (the exact values are in kmon --once --json).
 */
const offset = (value: number | null) => formatCount(value);

const columns: Array<TableColumn<PartitionRow>> = [
	{header: 'TOPIC', cell: row => row.topic, priority: 1},
	{header: 'PARTITION', cell: row => String(row.partition), align: 'right', priority: 0},
	{header: 'LAG', cell: row => formatCount(row.lag), align: 'right', priority: 0},
	{header: 'COMMITTED', cell: row => offset(row.committedOffset), align: 'right', priority: 1},
	{header: 'LOG END', cell: row => offset(row.logEndOffset), align: 'right', priority: 1},
];

export type PartitionLagLayout = {group: string; selected: string | null; width: number; height: number};

/** Enter on a group: its lag per partition, to see whether one partition holds everything up. */
export function partitionLagLines(kafka: Kafka, {group, selected, width, height}: PartitionLagLayout, theme: Theme): Line[] {
	const entries = kafka.groups.filter(row => row.group === group);
	const rows = partitionRows(kafka, group);
	const title: Line = [styled(`PARTITIONS of ${group}  `, {bold: true}), styled('Esc back', {dim: true})];
	const status = entries[0];
	if (!status) {
		return [title, [styled('this group is no longer reported by kafka_exporter', {})]];
	}

	const reason: Line = [styled(entries.map(row => `${row.topic}: ${row.status}, ${row.statusReason}`).join('; '), {colour: theme.palette.status(status.status)})];
	if (rows.length === 0) {
		return [title, reason, [styled(status.status === 'GONE' ? 'no partitions: the group is gone' : `loading per-partition lag${theme.glyphs.ellipsis}`, {dim: true})]];
	}

	return [title, reason, ...tableLines({columns, rows, rowKey: partitionKey, selectedKey: selected, width, height: height - 2}, theme)];
}
