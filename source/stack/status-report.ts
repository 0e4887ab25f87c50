// `kmon status` as data (also its --json output) and as text. Pure: no Docker, no network. Container names,
// images and scrape errors come from outside: the text's lines leave with control characters escaped.
import {escapeControls} from '../format/escape-controls.js';
import {formatSpan} from '../format/units.js';
import {renderTable, type Column} from '../report/table.js';
import type {Target} from '../snapshot/types.js';
import {formatPort, type StackContainer} from './project-containers.js';
import {describeState} from './wait-for-stack.js';

export type StatusContainer = StackContainer & {uptimeSeconds: number | null};

export type StatusReport = {
	project: string;
	docker: {version: string; endpoint: string};
	containers: StatusContainer[];
	prometheus: {url: string | null; ready: boolean; error: string | null};
	/** Null when Prometheus could not be asked. */
	targets: Target[] | null;
	targetsError: string | null;
	/** Every container running (and healthy where it has a check), Prometheus ready, every target up. */
	ok: boolean;
};

export function isContainerOk(container: StackContainer): boolean {
	return container.state === 'running' && (container.health === 'healthy' || container.health === 'none');
}

export function statusOk(report: Omit<StatusReport, 'ok'>): boolean {
	return report.containers.length > 0
		&& report.containers.every(container => isContainerOk(container))
		&& report.prometheus.ready
		&& (report.targets?.every(target => target.health === 'up') ?? false);
}

const containerColumns: Array<Column<StatusContainer>> = [
	{header: 'SERVICE', cell: row => row.service ?? '–', priority: 0},
	{header: 'STATE', cell: row => `${isContainerOk(row) ? '✓' : '✗'} ${describeState(row)}`, priority: 0},
	{header: 'UPTIME', cell: row => formatSpan(row.uptimeSeconds), align: 'right', priority: 2},
	{header: 'RESTARTS', cell: row => String(row.restartCount), align: 'right', priority: 3},
	{header: 'PORTS', cell: row => row.ports.map(port => formatPort(port)).join(' ') || '–', priority: 4},
	{header: 'CONTAINER', cell: row => row.name, priority: 5},
	{header: 'IMAGE', cell: row => row.image, priority: 6},
];

const targetColumns: Array<Column<Target>> = [
	{header: 'TARGET', cell: row => row.job, priority: 0},
	{header: 'HEALTH', cell: row => `${row.health === 'up' ? '✓' : '✗'} ${row.health}`, priority: 0},
	{header: 'INSTANCE', cell: row => row.instance, priority: 2},
	{header: 'LAST ERROR', cell: row => row.lastError ?? '', priority: 3},
];

export function renderStatus(report: StatusReport, width: number): string[] {
	return statusLines(report, width).map(line => escapeControls(line));
}

function statusLines(report: StatusReport, width: number): string[] {
	const lines = [`kmon stack (compose project ${report.project}) · Docker ${report.docker.version} at ${report.docker.endpoint}`];
	if (report.containers.length === 0) {
		lines.push('', `Not running: no containers of compose project ${report.project}. Start it with: kmon up [--with-kafka]`);
		return lines;
	}

	lines.push('', ...renderTable(containerColumns, report.containers, width));
	lines.push('');
	if (report.prometheus.url === null) {
		lines.push('Prometheus: not reachable from here (its container is not running or publishes no port)');
	} else if (!report.prometheus.ready) {
		lines.push(`Prometheus ${report.prometheus.url}: not ready (${report.prometheus.error ?? 'no answer'})`);
	} else {
		lines.push(`Prometheus ${report.prometheus.url}: ready`);
	}

	if (report.targets !== null) {
		const sorted = [...report.targets].sort((a, b) => a.job.localeCompare(b.job) || a.instance.localeCompare(b.instance));
		lines.push('', ...renderTable(targetColumns, sorted, width));
	} else if (report.targetsError) {
		lines.push(`Targets: unknown (${report.targetsError})`);
	}

	const down = report.containers.filter(container => !isContainerOk(container)).length;
	const targetsDown = report.targets?.filter(target => target.health !== 'up').length ?? 0;
	lines.push('', report.ok
		? 'All services up and every target scraped.'
		: `Not all well: ${[down > 0 && `${down} container${down === 1 ? '' : 's'} not running or not healthy`, targetsDown > 0 && `${targetsDown} target${targetsDown === 1 ? '' : 's'} down`, !report.prometheus.ready && 'Prometheus not ready'].filter(Boolean).join(', ')}.`);
	return lines;
}
