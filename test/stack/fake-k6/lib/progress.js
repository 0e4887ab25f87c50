// What k6 prints on stdout when stdout is not a terminal: the banner, the execution description, a
// progress block every second, the end-of-test summary. Formats follow k6's internal/cmd/ui.go and
// internal/ui/pb (read, not copied); the summary is a close approximation of k6's layout.

import {fixedLengthDuration, fixedLengthInt, formatDuration, formatFixed} from './gofmt.js';

const BANNER_V1 = [
	'         /\\      Grafana   /‾‾/  ',
	'    /\\  /  \\     |\\  __   /  /   ',
	'   /  \\/    \\    | |/ /  /   ‾‾\\ ',
	'  /          \\   |   (  |  (‾)  |',
	' / __________ \\  |_|\\_\\  \\_____/ ',
].join('\n');

const BANNER_LEGACY = [
	'          /\\      |‾‾| /‾‾/   /‾‾/   ',
	'     /\\  /  \\     |  |/  /   /  /    ',
	'    /  \\/    \\    |     (   /   ‾‾\\  ',
	'   /          \\   |  |\\  \\ |  (‾)  | ',
	'  / __________ \\  |__| \\__\\ \\_____/ .io',
].join('\n');

/** The banner block (k6 prints "\n<banner>\n\n"). */
export function banner(legacy = false) {
	return `\n${legacy ? BANNER_LEGACY : BANNER_V1}\n\n`;
}

/**
 * @typedef {{type: 'constant-vus', vus: number, durationNs: number, gracefulStopNs: number}
 *   | {type: 'per-vu-iterations', vus: number, iterations: number, maxDurationNs: number, gracefulStopNs: number}
 *   | {type: 'shared-iterations', vus: number, iterations: number, maxDurationNs: number, gracefulStopNs: number}} Executor
 */

/** Regular duration plus graceful stop: what k6 calls the max duration. @param {Executor} ex */
export function maxDurationOf(ex) {
	return (ex.type === 'constant-vus' ? ex.durationNs : ex.maxDurationNs) + ex.gracefulStopNs;
}

/** @param {Executor} ex */
export function executorDescription(ex) {
	const stop = `gracefulStop: ${formatDuration(ex.gracefulStopNs)}`;
	switch (ex.type) {
		case 'constant-vus':
			return `${ex.vus} looping VUs for ${formatDuration(ex.durationNs)} (${stop})`;
		case 'per-vu-iterations':
			return `${ex.iterations} iterations for each of ${ex.vus} VUs (maxDuration: ${formatDuration(ex.maxDurationNs)}, ${stop})`;
		case 'shared-iterations':
			return `${ex.iterations} iterations shared among ${ex.vus} VUs (maxDuration: ${formatDuration(ex.maxDurationNs)}, ${stop})`;
		default:
			throw new Error('unknown executor');
	}
}

/**
 * The "execution: local / script / output / scenarios" block.
 * @param {{script: string, outputs: string[], executor: Executor, scenario: string}} options
 */
export function executionDescription({script, outputs, executor, scenario}) {
	const maxDuration = Math.round(maxDurationOf(executor) / 1e8) * 1e8;
	return [
		'',
		'     execution: local',
		`        script: ${script}`,
		`        output: ${outputs.length > 0 ? outputs.join(', ') : '-'}`,
		'',
		`     scenarios: (100.00%) 1 scenario, ${executor.vus} max VUs, ${formatDuration(maxDuration)} max duration (incl. graceful stop):`,
		`              * ${scenario}: ${executorDescription(executor)}`,
		'',
		'',
	].join('\n');
}

/**
 * The first progress line (the execution scheduler's "hijack" bar).
 * @param {{elapsedNs: number, maxDurationNs: number, activeVUs: number, maxVUs: number,
 *          complete: number, interrupted: number}} s
 */
export function runStatusLine(s) {
	const vus = `${fixedLengthInt(s.activeVUs, s.maxVUs)}/${fixedLengthInt(s.maxVUs, s.maxVUs)}`;
	return `running (${fixedLengthDuration(s.elapsedNs, s.maxDurationNs)}), ${vus} VUs, `
		+ `${s.complete} complete and ${s.interrupted} interrupted iterations`;
}

export const STATUS = Object.freeze({running: ' ', stopping: '↓', interrupted: '✗', done: '✓'});

/**
 * The right-hand columns and progress of an executor's bar.
 * @param {Executor} ex
 * @param {{elapsedNs: number, doneIterations: number}} s
 * @returns {{progress: number, right: string[]}}
 */
export function executorProgress(ex, s) {
	if (ex.type === 'constant-vus') {
		if (s.elapsedNs > ex.durationNs) return {progress: 1, right: [`${ex.vus} VUs`, formatDuration(ex.durationNs)]};
		return {
			progress: s.elapsedNs / ex.durationNs,
			right: [`${ex.vus} VUs`, `${fixedLengthDuration(s.elapsedNs, ex.durationNs)}/${formatDuration(ex.durationNs)}`],
		};
	}
	const total = ex.type === 'per-vu-iterations' ? ex.vus * ex.iterations : ex.iterations;
	const iters = ex.type === 'per-vu-iterations'
		? `${fixedLengthInt(s.doneIterations, total)}/${fixedLengthInt(total, total)} iters, ${ex.iterations} per VU`
		: `${fixedLengthInt(s.doneIterations, total)}/${fixedLengthInt(total, total)} shared iters`;
	const vus = `${fixedLengthInt(ex.vus, ex.vus)} VUs`;
	const duration = s.elapsedNs > ex.maxDurationNs && ex.type === 'per-vu-iterations'
		? formatDuration(ex.maxDurationNs)
		: `${fixedLengthDuration(s.elapsedNs, ex.maxDurationNs)}/${formatDuration(ex.maxDurationNs)}`;
	return {progress: s.doneIterations / total, right: [vus, duration, iters]};
}

/**
 * One scenario bar as k6 renders it without a terminal: the bar shrinks to a percentage.
 * @param {{left: string, maxLeft: number, status: string, progress: number, right: string[], widths: number[]}} bar
 */
export function scenarioLine({left, maxLeft, status, progress, right, widths}) {
	const clamped = Math.min(1, Math.max(0, progress));
	const percent = formatFixed(clamped * 100, 0).padStart(3, ' ');
	let rightText = '';
	right.forEach((column, i) => {
		const pad = i === right.length - 1 ? 0 : (widths[i] ?? 0);
		rightText += ` ${column.padEnd(pad + 1, ' ')}`;
	});
	return `${left.padEnd(maxLeft, ' ')} ${status} [ ${percent}% ]${rightText}`;
}

/**
 * The block k6 writes every second (and once at the end): an empty line, the run status, one line per
 * scenario.
 */
export function progressBlock({run, scenario}) {
	const maxLeft = Math.min(Math.max('Init'.length, scenario.name.length), 30);
	const widths = scenario.right.slice(0, -1).map((c) => c.length);
	return `\n${runStatusLine(run)}\n${scenarioLine({
		left: scenario.name.length > maxLeft ? `${scenario.name.slice(0, maxLeft - 3)}...` : scenario.name,
		maxLeft, status: scenario.status, progress: scenario.progress, right: scenario.right, widths,
	})}\n`;
}

// ---------------------------------------------------------------------------------------------------
// End-of-test summary

function trim2(n) {
	return formatFixed(n, 2).replace(/\.?0+$/, '');
}

/** k6-style duration for trend values given in ms. */
export function humanizeMs(ms) {
	if (ms === 0) return '0s';
	if (ms < 1) return `${trim2(ms * 1000)}µs`;
	if (ms < 1000) return `${trim2(ms)}ms`;
	if (ms < 60_000) return `${trim2(ms / 1000)}s`;
	const minutes = Math.floor(ms / 60_000);
	return `${minutes}m${trim2((ms - minutes * 60_000) / 1000)}s`;
}

export function humanizeBytes(bytes) {
	const units = ['B', 'kB', 'MB', 'GB', 'TB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit += 1;
	}
	return unit === 0 ? `${Math.round(value)} B` : `${formatFixed(value, value < 10 ? 1 : 0)} ${units[unit]}`;
}

function trendText(sink) {
	return ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'].map((s) => `${s}=${humanizeMs(sink.stat(s))}`).join(' ');
}

function dots(name, width) {
	return `${name}${'.'.repeat(Math.max(3, width - name.length))}:`;
}

/**
 * The end-of-test summary (k6 v1 "compact" layout; k6 v0.54's older layout with legacy = true).
 * @param {import('./metrics.js').SummaryCollector} collector
 * @param {number} durationS test run duration in seconds (for the per-second rates)
 */
export function summaryText(collector, durationS, legacy = false) {
	const m = collector.metrics;
	const perS = (v) => `${trim2(v / Math.max(durationS, 1e-9))}/s`;
	const lines = [];
	const width = legacy ? 32 : 40;
	const indent = legacy ? '     ' : '    ';
	const line = (name, value) => lines.push(`${indent}${dots(name, width)} ${value}`);
	const counter = (name, bytes = false) => {
		const sink = m.get(name);
		if (!sink) return;
		const value = bytes ? humanizeBytes(sink.sum) : String(sink.sum);
		const rate = bytes ? `${humanizeBytes(sink.sum / Math.max(durationS, 1e-9))}/s` : perS(sink.sum);
		line(name, `${value.padEnd(6, ' ')} ${rate}`);
	};
	const gauge = (name) => {
		const sink = m.get(name);
		if (sink) line(name, `${String(sink.last).padEnd(6, ' ')} min=${sink.min}${' '.repeat(Math.max(1, 9 - String(sink.min).length))}max=${sink.max}`);
	};
	const trend = (name) => {
		const sink = m.get(name);
		if (sink) line(name, trendText(sink));
	};
	const rate = (name) => {
		const sink = m.get(name);
		if (!sink) return;
		const pct = `${formatFixed(sink.rate() * 100, 2)}%`;
		line(name, legacy
			? `${pct.padEnd(7, ' ')} ✓ ${String(sink.nonZero).padEnd(8, ' ')} ✗ ${sink.count - sink.nonZero}`
			: `${pct.padEnd(6, ' ')} ${sink.nonZero} out of ${sink.count}`);
	};
	const checkLines = [];
	for (const [name, c] of collector.checks) {
		const mark = c.fails === 0 ? '✓' : '✗';
		checkLines.push(`${indent}${mark} ${name}`);
		if (c.fails > 0) {
			const pct = Math.floor((c.passes / (c.passes + c.fails)) * 100);
			checkLines.push(`${indent}  ↳  ${pct}% — ✓ ${c.passes} / ✗ ${c.fails}`);
		}
	}

	if (legacy) {
		lines.push(...checkLines, '');
		const checks = m.get('checks');
		if (checks) rate('checks');
		counter('data_received', true);
		counter('data_sent', true);
		for (const name of ['group_duration', 'http_req_blocked', 'http_req_connecting', 'http_req_duration']) trend(name);
		if (collector.expected.count > 0) line('  { expected_response:true }', trendText(collector.expected));
		rate('http_req_failed');
		for (const name of ['http_req_receiving', 'http_req_sending', 'http_req_tls_handshaking', 'http_req_waiting']) trend(name);
		counter('http_reqs');
		trend('iteration_duration');
		counter('iterations');
		gauge('vus');
		gauge('vus_max');
		return `\n${lines.join('\n')}\n\n`;
	}

	lines.push('', '  █ TOTAL RESULTS ', '');
	const checks = m.get('checks');
	if (checks) {
		line('checks_total', `${String(checks.count).padEnd(6, ' ')} ${perS(checks.count)}`);
		line('checks_succeeded', `${formatFixed(checks.rate() * 100, 2)}% ${checks.nonZero} out of ${checks.count}`);
		line('checks_failed', `${formatFixed((1 - checks.rate()) * 100, 2)}% ${checks.count - checks.nonZero} out of ${checks.count}`);
		lines.push('', ...checkLines, '');
	}
	lines.push(`${indent}HTTP`);
	trend('http_req_duration');
	if (collector.expected.count > 0) line('  { expected_response:true }', trendText(collector.expected));
	rate('http_req_failed');
	counter('http_reqs');
	lines.push('', `${indent}EXECUTION`);
	trend('iteration_duration');
	counter('iterations');
	gauge('vus');
	gauge('vus_max');
	lines.push('', `${indent}NETWORK`);
	counter('data_received', true);
	counter('data_sent', true);
	return `${lines.join('\n')}\n\n\n\n`;
}
