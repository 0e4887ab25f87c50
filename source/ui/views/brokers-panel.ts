import {formatBytesPerSecond, formatCount, formatMilliseconds, formatPercent, formatRate} from '../../format/units.js';
import type {Brokers, Section} from '../../snapshot/types.js';
import {type Metric, metricLines} from '../components/metric-strip.js';
import {sectionNoticeLines} from '../components/section-notice.js';
import type {RunCells} from '../model/run-cells.js';
import {type Line, styled} from '../text/styled-text.js';
import type {Theme} from '../theme.js';

/** Broker health: counts that should be zero, throughput with history, latency, heap and GC. */
export function brokersPanelLines(brokers: Section<Brokers>, layout: {width: number; lines: number; sparkWidth: number; runCells?: RunCells}, theme: Theme): Line[] {
	const {palette} = theme;
	if (layout.lines <= 1) {
		return [];
	}

	const title: Line = [styled('BROKERS', {bold: true})];
	if (brokers.state !== 'ok') {
		return [title, ...sectionNoticeLines(brokers, 'broker metrics', theme)].slice(0, layout.lines);
	}

	const data = brokers.data;
	const bad = (value: number | null) => value !== null && value > 0 ? palette.severity('error') : undefined;
	const heapPercent = data.heapUsedBytes.value !== null && data.heapMaxBytes ? (100 * data.heapUsedBytes.value) / data.heapMaxBytes : null;
	const metrics: Metric[] = [
		{label: data.brokersFrom === 'jmx-controller' ? 'brokers (JMX)' : 'brokers', value: formatCount(data.brokers)},
		{label: 'controllers', value: formatCount(data.activeControllers), colour: data.activeControllers === null || data.activeControllers === 1 ? undefined : palette.severity('error')},
		{label: 'under-replicated', value: formatCount(data.underReplicatedPartitions), colour: bad(data.underReplicatedPartitions)},
		{label: 'offline', value: formatCount(data.offlinePartitions), colour: bad(data.offlinePartitions)},
		{label: 'msgs in', value: formatRate(data.messagesInPerSecond.value), history: data.messagesInPerSecond.history},
		{label: 'bytes in', value: formatBytesPerSecond(data.bytesInPerSecond.value), history: data.bytesInPerSecond.history},
		{label: 'bytes out', value: formatBytesPerSecond(data.bytesOutPerSecond.value), history: data.bytesOutPerSecond.history},
		{label: 'produce p99', value: formatMilliseconds(data.produceP99Ms)},
		{label: 'fetch p99', value: formatMilliseconds(data.fetchP99Ms)},
		{label: 'heap', value: formatPercent(heapPercent), history: data.heapUsedBytes.history},
		{label: 'GC', value: formatPercent(data.gcSecondsPerSecond === null ? null : data.gcSecondsPerSecond * 100)},
		{label: 'requests', value: formatRate(data.requestsPerSecond.value), history: data.requestsPerSecond.history},
	];
	return [title, ...metricLines(metrics, {width: layout.width, lines: layout.lines - 1, sparkWidth: layout.sparkWidth, valueWidth: 6, runCells: layout.runCells}, theme)];
}
