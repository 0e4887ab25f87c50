import {formatCount, formatMilliseconds, formatPercent, formatRate} from '../../format/units.js';
import type {Section} from '../../snapshot/types.js';
import {Lines} from '../components/lines.js';
import {type Metric, metricLines} from '../components/metric-strip.js';
import {sectionNoticeLines} from '../components/section-notice.js';
import {groupsUnknown} from '../../snapshot/groups-unknown.js';
import {lagSummary} from '../model/overview-signals.js';
import {containerRows} from '../model/visible-rows.js';
import {fit, type Line, styled} from '../text/styled-text.js';
import {type Theme, useTheme} from '../theme.js';
import {diagnosticLines} from './diagnostic-list.js';
import type {ViewProps} from './view-props.js';

const labelWidth = 12;
const areas = 3;

/** Lines per area: two, or up to four when the diagnostics leave room (a taller terminal shows more). */
export function areaLinesFor(height: number, diagnostics: number): number {
	const spare = height - 1 - (2 * Math.max(1, diagnostics));
	return Math.min(4, Math.max(2, Math.floor(spare / areas)));
}

/** One block per area with its key signals, then every diagnostic with its fix. */
export function OverviewTab(props: ViewProps) {
	const theme = useTheme();
	return <Lines lines={overviewLines(props, theme).slice(0, props.height)} width={props.width}/>;
}

export function overviewLines({snapshot, ui, width, height, sparkWidth, domainErrors, runCells}: ViewProps, theme: Theme): Line[] {
	const {glyphs, palette} = theme;
	const inner = width - labelWidth;
	const stale = (['kafka', 'containers', 'k6'] as const).filter(domain => domainErrors[domain]);
	const banner: Line[] = stale.length > 0 ? [[styled(`${glyphs.warning} ${stale.join(', ')} from an earlier poll: the latest failed`, {colour: palette.stale})]] : [];
	const areaLines = areaLinesFor(height - banner.length, snapshot.diagnostics.length);
	const strip = (metrics: Metric[]) => metricLines(metrics, {width: inner, lines: areaLines, sparkWidth, valueWidth: 5, runCells}, theme);
	const bad = (value: number | null) => (value ?? 0) > 0 ? palette.severity('error') : undefined;
	const kafka = area(snapshot.kafka, 'Kafka data', theme, data => {
		const lag = lagSummary(data);
		const brokers = data.brokers.state === 'ok' ? data.brokers.data : null;
		const worst = lag.worst;
		const unknown = groupsUnknown(snapshot) ? 'unknown' : undefined;
		return strip([
			{label: 'total lag', value: formatCount(lag.total), history: lag.history},
			...(worst ? [{label: 'worst', value: `${worst.status} ${worst.group}`, colour: palette.status(worst.status)}] : [{label: 'groups', value: unknown ?? 'none'}]),
			...(brokers ? [
				{label: brokers.brokersFrom === 'jmx-controller' ? 'brokers (JMX)' : 'brokers', value: formatCount(brokers.brokers)},
				{label: 'under-replicated', value: formatCount(brokers.underReplicatedPartitions), colour: bad(brokers.underReplicatedPartitions)},
				{label: 'offline', value: formatCount(brokers.offlinePartitions), colour: bad(brokers.offlinePartitions)},
				{label: 'msgs in', value: formatRate(brokers.messagesInPerSecond.value), history: brokers.messagesInPerSecond.history},
			] : [{label: 'brokers', value: 'no JMX data'}]),
			{label: 'groups', value: unknown ?? (lag.counts.map(([status, count]) => `${count} ${status}`).join(' ') || '0')},
		]);
	});
	const containers = area(snapshot.containers, 'container metrics', theme, data => strip(
		containerRows(data.containers, '', 'cpu').slice(0, 3 * areaLines).map(container => ({
			label: container.name,
			value: formatPercent(container.cpuPercent.value),
			history: container.cpuPercent.history,
		})),
	));
	const k6 = area(snapshot.k6, 'k6 results', theme, data => strip([
		{label: 'req/s', value: formatCount(data.totals.requestsPerSecond.value), history: data.totals.requestsPerSecond.history},
		{label: 'p95', value: formatMilliseconds(data.totals.p95Ms.value), history: data.totals.p95Ms.history},
		{label: 'failed', value: formatPercent(data.totals.failedPercent.value), history: data.totals.failedPercent.history, colour: bad(data.totals.failedPercent.value)},
		{label: 'VUs', value: formatCount(data.totals.vus.value), history: data.totals.vus.history},
	]));
	const block = (label: string, content: Line[]): Line[] => Array.from({length: areaLines}, (_, index) => [
		styled(fit(index === 0 ? label : '', labelWidth), {bold: true}),
		...(content[index] ?? []),
	]);
	return [
		...banner,
		...block('KAFKA', kafka),
		...block('CONTAINERS', containers),
		...block('K6', k6),
		...diagnosticLines(snapshot.diagnostics, ui.selected.overview, height - banner.length - (areas * areaLines), theme),
	];
}

function area<T>(section: Section<T>, what: string, theme: Theme, render: (data: T) => Line[]): Line[] {
	return section.state === 'ok' ? render(section.data) : sectionNoticeLines(section, what, theme);
}
