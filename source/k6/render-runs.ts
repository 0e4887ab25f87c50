// Text for `kmon runs` and `kmon runs show`: plain data in, lines out, so it is testable without a terminal.
// Run records, k6's stderr and summaries hold text from outside: the lines leave with control characters escaped.

import path from 'node:path';
import {escapeControls} from '../format/escape-controls.js';
import {formatBytes, formatCount, formatMilliseconds, formatPercent, formatRate, formatSpan, unknown} from '../format/units.js';
import {type Column, renderTable} from '../report/table.js';
import {exitCodeMeaning} from './exit-codes.js';
import type {RunView} from './run-store.js';
import type {RunSummary} from './summarize-run.js';

/** "2025-01-02 10:03:05" in the reader's time zone: runs are looked up by when people started them. */
export function localTime(iso: string | null): string {
	if (iso === null) {
		return unknown;
	}

	const date = new Date(iso);
	const two = (value: number) => String(value).padStart(2, '0');
	return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
}

export function runDuration(run: Pick<RunView, 'startedAt' | 'endedAt'>, now = new Date()): number {
	const end = run.endedAt === null ? now.getTime() : Date.parse(run.endedAt);
	return Math.max(0, (end - Date.parse(run.startedAt)) / 1000);
}

function exitText(run: RunView): string {
	if (run.exitCode === null && run.signal === null) {
		return run.endedAt === null ? '' : unknown;
	}

	return run.signal ?? String(run.exitCode);
}

function stateText(run: RunView, now: Date): string {
	return run.endedAt === null ? `${run.state} (${formatSpan(runDuration(run, now))})` : run.state;
}

const listColumns = (now: Date): Array<Column<RunView>> => [
	{header: 'ID', cell: run => run.id, priority: 0},
	{header: 'SCRIPT', cell: run => path.basename(run.script), priority: 2},
	{header: 'START', cell: run => localTime(run.startedAt), priority: 1},
	{header: 'DURATION', cell: run => formatSpan(runDuration(run, now)), align: 'right', priority: 3},
	{header: 'STATE', cell: run => stateText(run, now), priority: 1},
	{header: 'EXIT', cell: exitText, align: 'right', priority: 2},
	{header: 'MEANING', cell: run => run.exitCode === null && run.signal === null ? '' : exitCodeMeaning({code: run.exitCode, signal: run.signal}), priority: 4},
];

export function renderRunList(runs: RunView[], width: number, now = new Date()): string[] {
	if (runs.length === 0) {
		return ['no k6 runs yet (kmon run SCRIPT, or r in the monitor)'];
	}

	return renderTable(listColumns(now), runs, width);
}

export type RunDetails = {
	run: RunView;
	folder: string;
	/** File name → size in bytes, for the files the folder has. */
	files: Record<string, number>;
	summary: RunSummary | null;
	/** Why there is no summary, when there is none. */
	summaryProblem: string | null;
	/** Last lines of stderr, shown for runs that did not finish cleanly. */
	stderrTail: string[];
};

export function renderRunDetails(details: RunDetails, width: number, now = new Date()): string[] {
	const {run} = details;
	const field = (name: string, value: string) => `  ${name.padEnd(10)} ${value}`;
	const exit = run.exitCode === null && run.signal === null
		? (run.endedAt === null ? 'still running' : 'exit code unknown')
		: `exit ${run.signal ?? run.exitCode}: ${run.exitMeaning ?? exitCodeMeaning({code: run.exitCode, signal: run.signal})}`;
	const lines = [
		`run ${run.id}`,
		field('script', run.script),
		field('command', ['k6', ...run.args].join(' ')),
		field('k6', `${run.k6.path} (${run.k6.version ?? 'version unknown'}) · ${run.k6.output}: ${run.k6.outputReason}`),
		field('env set', `${run.env.set.join(', ') || 'nothing'}${run.statsdAddr ? ` (StatsD to ${run.statsdAddr})` : ''}${run.env.removed.length > 0 ? ` · withheld from k6: ${run.env.removed.join(', ')}` : ''}`),
		field('started', localTime(run.startedAt)),
		field('ended', `${run.endedAt === null ? 'not yet' : localTime(run.endedAt)} · ${formatSpan(runDuration(run, now))}`),
		field('state', `${run.state} · ${exit}${run.stoppedBy ? ` · ${run.stoppedBy === 'user' ? 'stopped on request' : 'hard-stopped (did not stop within the grace period)'}` : ''}`),
		field('pid', `${run.pid ?? unknown}${run.endedAt === null ? ' (alive)' : ''}`),
		...(run.note ? [field('note', run.note)] : []),
		field('folder', details.folder),
		field('files', Object.entries(details.files).map(([name, size]) => `${name} (${formatBytes(size)})`).join(', ') || 'none'),
	];
	if (details.stderrTail.length > 0) {
		lines.push('', 'last lines of stderr', ...details.stderrTail.map(line => `  ${line}`));
	}

	lines.push('', ...(details.summary ? renderSummary(details.summary, width) : [`summary: ${details.summaryProblem ?? 'none'}`]));
	return lines.map(line => escapeControls(line));
}

function renderSummary(summary: RunSummary, width: number): string[] {
	const {peaks, window} = summary;
	const lines = [`summary · window ${localTime(window.start)} – ${localTime(window.end)} (${window.stepSeconds}s steps) · ${summary.prometheus.url}`];
	const sections = [summary.k6, summary.kafka, summary.containers];
	if (sections.every(section => section.state === 'failed')) {
		// Prometheus itself failed: one line says it, rather than the same error once per domain.
		return [...lines, `  no data: ${sections[0]!.state === 'failed' ? sections[0]!.error.message : ''}`];
	}

	if (peaks.k6) {
		const {k6} = peaks;
		lines.push(`  k6: ${formatCount(k6.requests)} requests · peak ${formatRate(k6.peakRequestsPerSecond)} · peak p95 ${formatMilliseconds(k6.peakP95Ms)} · peak errors ${formatPercent(k6.peakFailedPercent)} · peak VUs ${formatCount(k6.peakVus)}`);
		if (k6.byTag.length > 0) {
			lines.push(...renderTable<typeof k6.byTag[number]>([
				{header: k6.tagKey.toUpperCase(), cell: row => row.value, priority: 0},
				{header: 'REQUESTS', cell: row => formatCount(row.requests), align: 'right', priority: 1},
				{header: 'PEAK RATE', cell: row => formatRate(row.peakRequestsPerSecond), align: 'right', priority: 1},
				{header: 'PEAK P95', cell: row => formatMilliseconds(row.peakP95Ms), align: 'right', priority: 2},
				{header: 'PEAK P99', cell: row => formatMilliseconds(row.peakP99Ms), align: 'right', priority: 3},
				{header: 'PEAK ERR', cell: row => formatPercent(row.peakFailedPercent), align: 'right', priority: 2},
			], k6.byTag, width - 4).map(line => `    ${line}`));
		}
	} else {
		lines.push(`  k6: ${sectionReason(summary.k6)}`);
	}

	if (peaks.groups.length > 0) {
		lines.push('  consumer lag', ...renderTable<typeof peaks.groups[number]>([
			{header: 'GROUP / TOPIC', cell: row => `${row.group} / ${row.topic}`, priority: 0},
			{header: 'PEAK LAG', cell: row => formatCount(row.peakLag), align: 'right', priority: 1},
			{header: 'AT END', cell: row => formatCount(row.lagAtEnd), align: 'right', priority: 2},
		], peaks.groups, width - 4).map(line => `    ${line}`));
	} else {
		lines.push(`  consumer lag: ${summary.kafka.state === 'ok' ? 'no groups' : sectionReason(summary.kafka)}`);
	}

	if (peaks.containers.length > 0) {
		// Two containers with one name (two stacks on a host) are told apart by the end of their cgroup id.
		const names = peaks.containers.map(row => row.name);
		const label = (row: typeof peaks.containers[number]) => names.indexOf(row.name) === names.lastIndexOf(row.name) ? row.name : `${row.name} (${row.id.slice(-12)})`;
		lines.push('  containers (CPU in % of one core)', ...renderTable<typeof peaks.containers[number]>([
			{header: 'CONTAINER', cell: label, priority: 0},
			{header: 'PEAK CPU', cell: row => formatPercent(row.peakCpuPercent), align: 'right', priority: 1},
			{header: 'PEAK MEM', cell: row => formatBytes(row.peakMemoryBytes), align: 'right', priority: 1},
			{header: 'LIMIT', cell: row => formatBytes(row.memoryLimitBytes), align: 'right', priority: 2},
		], peaks.containers, width - 4).map(line => `    ${line}`));
	} else {
		lines.push(`  containers: ${summary.containers.state === 'ok' ? 'none' : sectionReason(summary.containers)}`);
	}

	for (const diagnostic of summary.diagnostics) {
		lines.push(`  ${diagnostic.severity}: ${diagnostic.message}`);
	}

	return lines;
}

function sectionReason(section: RunSummary['k6'] | RunSummary['kafka'] | RunSummary['containers']): string {
	switch (section.state) {
		case 'absent': {
			return `no data (${section.reason})`;
		}

		case 'failed': {
			return `failed (${section.error.message})`;
		}

		case 'skipped': {
			return 'not collected';
		}

		case 'ok': {
			return 'ok';
		}
	}
}
