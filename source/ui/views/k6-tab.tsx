import {formatCount, formatMilliseconds, formatPercent, formatRate} from '../../format/units.js';
import type {K6, K6TagRow} from '../../snapshot/types.js';
import {Lines} from '../components/lines.js';
import {sparkColumn, tableLines, type TableColumn} from '../components/data-table.js';
import {type Metric, metricLines} from '../components/metric-strip.js';
import {sectionNoticeLines, staleBannerLines, targetDownLines} from '../components/section-notice.js';
import {tagRowKey, tagRows} from '../model/visible-rows.js';
import type {Palette} from '../palette.js';
import {type Line, plain, styled} from '../text/styled-text.js';
import {type Theme, useTheme} from '../theme.js';
import {listTitleLine} from './list-title.js';
import type {ViewProps} from './view-props.js';

const totalsLines = 2;

export function K6Tab(props: ViewProps) {
	const theme = useTheme();
	return <Lines lines={k6Lines(props, theme).slice(0, props.height)} width={props.width}/>;
}

export function k6Lines({snapshot, ui, width, height, sparkWidth, domainErrors, runCells}: ViewProps, theme: Theme): Line[] {
	const {glyphs, palette} = theme;
	if (snapshot.k6.state !== 'ok') {
		return [...targetDownLines(snapshot, 'k6', theme), ...sectionNoticeLines(snapshot.k6, 'k6 results', theme)];
	}

	const k6 = snapshot.k6.data;
	const untagged = snapshot.diagnostics.find(diagnostic => diagnostic.id === 'k6-untagged');
	const missingTags = untagged ?? (k6.tagged ? undefined : {
		message: 'k6 requests arrive without tags: per-tag rows stay empty',
		fix: 'set K6_STATSD_ENABLE_TAGS=true for k6 (kmon does this for runs it starts with r)',
	});
	const banner = [...targetDownLines(snapshot, 'k6', theme), ...staleBannerLines(domainErrors.k6, 'k6 results', theme)];
	const rows = tagRows(k6, ui.filters.k6);
	const others = k6.tagKeys.filter(key => key !== k6.tagKey);
	const head: Line[] = [
		...banner,
		[styled('K6 TOTALS  ', {bold: true}), styled(`${snapshot.families.k6 ?? 'unknown family'}${glyphs.separator}${checks(k6)}`, {dim: true})],
		...metricLines(totals(k6, palette), {width, lines: totalsLines, sparkWidth, runCells}, theme),
		...(missingTags ? [
			[styled(`${glyphs.warning} ${missingTags.message}`, {colour: palette.severity('warning'), bold: true})],
			[plain(`  fix: ${missingTags.fix}`)],
		] : []),
		listTitleLine({
			title: `BY ${k6.tagKey.toUpperCase()}`,
			details: [
				rows.length === k6.byTag.length ? `${k6.tagValueCount} values` : `${rows.length} of ${k6.tagValueCount} values`,
				others.length === 0 ? 'no other tag keys' : `t: ${others.join(', ')}`,
			],
			filter: ui.filters.k6,
			editingFilter: ui.editingFilter,
		}, theme),
	];
	const table = k6.byTag.length === 0
		? [[styled(`no requests with a ${k6.tagKey} tag in the window`, {dim: true})]]
		: tableLines({
			columns: tagColumns(k6.tagKey, palette, sparkWidth),
			rows,
			rowKey: tagRowKey,
			selectedKey: ui.selected.k6,
			emptyText: `no ${k6.tagKey} value matches the filter (Esc clears it)`,
			width,
			height: Math.max(2, height - head.length),
			runCells,
		}, theme);
	return [...head, ...table];
}

function totals(k6: K6, palette: Palette): Metric[] {
	const {totals} = k6;
	return [
		{label: 'req/s', value: formatCount(totals.requestsPerSecond.value), history: totals.requestsPerSecond.history},
		{label: 'p95', value: formatMilliseconds(totals.p95Ms.value), history: totals.p95Ms.history},
		{label: 'p99', value: formatMilliseconds(totals.p99Ms.value), history: totals.p99Ms.history},
		{label: 'failed', value: formatPercent(totals.failedPercent.value), history: totals.failedPercent.history, colour: failedColour(totals.failedPercent.value, palette)},
		{label: 'VUs', value: formatCount(totals.vus.value), history: totals.vus.history},
		{label: 'iterations', value: formatRate(totals.iterationsPerSecond.value), history: totals.iterationsPerSecond.history},
	];
}

function checks(k6: K6): string {
	const {checksPassed, checksFailed, requests} = k6.totals;
	return `${formatCount(requests)} requests in the window, checks ${formatCount(checksPassed)} passed, ${formatCount(checksFailed)} failed`;
}

function failedColour(percent: number | null, palette: Palette) {
	return percent !== null && percent > 0 ? palette.severity('error') : undefined;
}

export function tagColumns(tagKey: string, palette: Palette, sparkWidth: number): Array<TableColumn<K6TagRow>> {
	return [
		{header: tagKey.toUpperCase(), cell: row => row.value, priority: 0},
		{header: 'REQ/S', cell: row => formatCount(row.requestsPerSecond.value), align: 'right', priority: 0},
		sparkColumn('RATE HISTORY', row => row.requestsPerSecond.history, sparkWidth, 1),
		{header: 'P95', cell: row => formatMilliseconds(row.p95Ms.value), align: 'right', priority: 0},
		{header: 'P99', cell: row => formatMilliseconds(row.p99Ms.value), align: 'right', priority: 2},
		{header: 'FAILED', cell: row => formatPercent(row.failedPercent.value), align: 'right', priority: 0, colour: row => failedColour(row.failedPercent.value, palette)},
		{header: 'REQUESTS', cell: row => formatCount(row.requests), align: 'right', priority: 1},
	];
}
