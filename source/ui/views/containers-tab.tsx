import {formatBytes, formatBytesPerSecond, formatPercent, formatSpan, unknown} from '../../format/units.js';
import type {Container} from '../../snapshot/types.js';
import {Lines} from '../components/lines.js';
import {sparkColumn, tableLines, type TableColumn} from '../components/data-table.js';
import {sectionNoticeLines, staleBannerLines, targetDownLines} from '../components/section-notice.js';
import {containerKey, containerRows, selectedRow} from '../model/visible-rows.js';
import {type Line, styled} from '../text/styled-text.js';
import {type Theme, useTheme} from '../theme.js';
import {listTitleLine} from './list-title.js';
import type {ViewProps} from './view-props.js';

export function ContainersTab(props: ViewProps) {
	const theme = useTheme();
	return <Lines lines={containersLines(props, theme).slice(0, props.height)} width={props.width}/>;
}

export function containersLines({snapshot, ui, width, height, sparkWidth, domainErrors, runCells}: ViewProps, theme: Theme): Line[] {
	if (snapshot.containers.state !== 'ok') {
		return [...targetDownLines(snapshot, 'containers', theme), ...sectionNoticeLines(snapshot.containers, 'container metrics', theme)];
	}

	const {containers, total} = snapshot.containers.data;
	const rows = containerRows(containers, ui.filters.containers, ui.containerOrder);
	const selected = selectedRow(rows, containerKey, ui.selected.containers);
	const banner = [...targetDownLines(snapshot, 'containers', theme), ...staleBannerLines(domainErrors.containers, 'Container metrics', theme)];
	const shown = rows.length === containers.length ? `${containers.length}` : `${rows.length} of ${containers.length}`;
	const title = listTitleLine({
		title: 'CONTAINERS',
		details: [`${shown}${total > containers.length ? ` (busiest of ${total})` : ''}`, 'CPU in % of one core', `sort ${ui.containerOrder}`],
		filter: ui.filters.containers,
		editingFilter: ui.editingFilter,
	}, theme);
	const table = containers.length === 0
		? [[styled('no containers reported by cAdvisor', {dim: true})]]
		: tableLines({
			columns: containerColumns(sparkWidth, containers.some(container => container.docker)),
			rows,
			rowKey: containerKey,
			selectedKey: ui.selected.containers,
			emptyText: 'no container matches the filter (Esc clears it)',
			width,
			height: Math.max(2, height - banner.length - 1 - (selected ? 1 : 0)),
			muted: container => container.monitoringStack === true,
			runCells,
		}, theme);
	return [...banner, title, ...table, ...(selected ? [[styled(describe(selected), {dim: true})]] : [])];
}

/** `docker`: whether any container has Docker's view of it; without it the STATE column would be all dashes. */
export function containerColumns(sparkWidth: number, docker: boolean): Array<TableColumn<Container>> {
	const columns: Array<TableColumn<Container>> = [
		{header: 'NAME', cell: container => container.name, priority: 0},
		{header: 'CPU', cell: container => formatPercent(container.cpuPercent.value), align: 'right', priority: 0},
		sparkColumn('CPU HISTORY', container => container.cpuPercent.history, sparkWidth, 1),
		{header: 'MEMORY', cell: container => formatBytes(container.memoryWorkingSetBytes.value), align: 'right', priority: 0},
		{header: 'LIMIT', cell: container => container.memoryLimitBytes === null ? 'none' : formatBytes(container.memoryLimitBytes), align: 'right', priority: 2},
		sparkColumn('MEM HISTORY', container => container.memoryWorkingSetBytes.history, sparkWidth, 3),
		{header: 'NET RX', cell: container => formatBytesPerSecond(container.networkReceiveBytesPerSecond), align: 'right', priority: 2},
		{header: 'NET TX', cell: container => formatBytesPerSecond(container.networkTransmitBytesPerSecond), align: 'right', priority: 2},
		{header: 'DISK R', cell: container => formatBytesPerSecond(container.diskReadBytesPerSecond), align: 'right', priority: 4},
		{header: 'DISK W', cell: container => formatBytesPerSecond(container.diskWriteBytesPerSecond), align: 'right', priority: 4},
		{header: 'STATE', cell: dockerState, priority: 3, colour: container => container.docker?.health === 'unhealthy' ? 'red' : (container.docker?.health === 'starting' ? 'yellow' : undefined)},
		{header: 'SERVICE', cell: container => container.composeService ?? unknown, priority: 5},
	];
	return docker ? columns : columns.filter(column => column.header !== 'STATE');
}

/** What Docker says: "running healthy", "restarting 3 restarts"; – when it is not a Docker container. */
function dockerState(container: Container): string {
	const docker = container.docker;
	if (!docker) {
		return unknown;
	}

	return [docker.state, docker.health === 'none' ? '' : docker.health, docker.restartCount > 0 ? `${docker.restartCount} restarts` : '']
		.filter(Boolean).join(' ');
}

function describe(container: Container): string {
	const compose = container.composeProject || container.composeService
		? `compose ${container.composeProject ?? unknown}/${container.composeService ?? unknown}`
		: 'not from compose';
	const uptime = container.docker?.uptimeSeconds;
	const up = uptime === null || uptime === undefined ? '' : `, up ${formatSpan(uptime)}`;
	const own = container.monitoringStack ? ' (kmon\'s own monitoring stack)' : '';
	// The id goes last: it is long, and a narrow terminal cuts the line from the right.
	return `${container.name}${own}: image ${container.image ?? unknown}, ${compose}${up}${unreported(container)}, ${container.id}`;
}

/** Why a row shows – for network or disk: cAdvisor has no such series for it, which is not a rate of 0. */
function unreported(container: Container): string {
	const network = container.networkReceiveBytesPerSecond === null && container.networkTransmitBytesPerSecond === null;
	const disk = container.diskReadBytesPerSecond === null && container.diskWriteBytesPerSecond === null;
	const missing = [network ? 'network' : '', disk ? 'disk I/O' : ''].filter(Boolean);
	if (missing.length === 0) {
		return '';
	}

	// A container on the host's network (or a bare cgroup) has no interface of its own to count; cAdvisor's
	// --disable_metrics=network would leave every row without one.
	return `, no ${missing.join(' or ')} from cAdvisor${network ? ' (host network, or its network metrics off)' : ''}`;
}
