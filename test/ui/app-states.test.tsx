import {afterEach, describe, expect, test} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {waitingState} from '../../source/ui/feed.js';
import {answered, failing, recorded, renderApp, themes} from './render-app.js';

afterEach(() => {
	cleanup();
});

describe('Given Prometheus has not answered yet', () => {
	test('when the screen opens, then it says where it is connecting, with no data age', async () => {
		const screen = await renderApp(waitingState);
		expect(screen.frame()).toContain('connecting to http://localhost:9090');
		expect(screen.frame()).toContain('no data yet');
	});
});

describe('Given Prometheus is unreachable from the start (recorded: prometheus-unreachable)', () => {
	const failure = recorded('prometheus-unreachable');
	test('when the screen shows, then it names the error, the fix and that kmon keeps trying', async () => {
		const screen = await renderApp(failing(failure, null));
		const frame = screen.frame();
		expect(frame).toContain('connection refused');
		expect(frame).toContain('fix: start the stack');
		expect(frame).toContain('next attempt in 8s');
		expect(frame).toContain('no data yet');
	});
});

describe('Given Prometheus without any exporter (recorded: prometheus-without-exporters)', () => {
	const empty = recorded('prometheus-without-exporters');
	test.each([
		['1', ['no Kafka data: no kafka_exporter or JMX exporter series', 'no container metrics: no cAdvisor series', 'no k6 results: no k6 series']],
		['2', ['no Kafka data: no kafka_exporter or JMX exporter series', 'fix: check the kafka-exporter and jmx-exporter targets']],
		['3', ['no container metrics: no cAdvisor series in Prometheus', 'fix: check the cadvisor target']],
		['4', ['no k6 results: no k6 series in Prometheus yet', 'fix: start a k6 run (r)']],
	])('when tab %s shows, then each empty panel says why and what to do: %j', async (tab, texts) => {
		const screen = await renderApp(answered(empty));
		await screen.press(tab);
		for (const text of texts) {
			expect(screen.frame()).toContain(text);
		}
	});
});

describe('Given exporters that are configured but down (recorded: exporters-down)', () => {
	test.each([
		{tab: '2', name: 'Kafka', targets: ['jmx-exporter at 127.0.0.1:3', 'kafka-exporter at 127.0.0.1:2'], notice: 'no Kafka data'},
		{tab: '3', name: 'Containers', targets: ['cadvisor at 127.0.0.1:4'], notice: 'no container metrics'},
		{tab: '4', name: 'k6', targets: ['statsd-exporter at 127.0.0.1:5'], notice: 'no k6 results'},
	])('when the $name tab shows, then it names its targets Prometheus cannot scrape, with the scrape error, above why it is empty', async ({tab, targets, notice}) => {
		const screen = await renderApp(answered(recorded('exporters-down')), {columns: 200, rows: 40});
		await screen.press(tab);
		const lines = screen.lines();
		const named = targets.map(target => lines.findIndex(line => line.includes(`✖ Prometheus cannot scrape ${target}: Get "http://`) && line.includes('connection refused')));
		expect(named.every(index => index > 0), screen.frame()).toBe(true);
		expect(lines[named[0]! + 1]).toMatch(/^ {2}fix: check that \S+ is running/);
		expect(lines.findIndex(line => line.includes(notice))).toBeGreaterThan(Math.max(...named));
		// Only its own domain's targets: the others are explained on their tabs.
		expect(lines.filter(line => line.includes('Prometheus cannot scrape'))).toHaveLength(targets.length);
	});

	test('when Overview shows, then every diagnostic is listed with its fix, errors first', async () => {
		const down = recorded('exporters-down');
		const screen = await renderApp(answered(down), {rows: 40});
		const lines = screen.lines();
		const diagnostics = lines.findIndex(line => line.startsWith('DIAGNOSTICS'));
		expect(lines[diagnostics]).toContain(`DIAGNOSTICS ${down.diagnostics.length}`);
		expect(lines[diagnostics + 1]).toMatch(/✖ .*Prometheus cannot scrape/);
		for (const diagnostic of down.diagnostics) {
			expect(screen.frame()).toContain(`fix: ${diagnostic.fix}`.slice(0, 60));
		}

		expect(lines[0]).toContain(`✖ ${down.diagnostics.length} diagnostics`);
	});
});

describe('Given a terminal of some size', () => {
	test.each([
		[80, 24], [120, 40], [200, 60], [60, 12],
	])('when it is %dx%d, then the frame is at most rows − 1 lines and no line is wider than the terminal', async (columns, rows) => {
		const screen = await renderApp(answered(recorded('exporters-down')), {columns, rows});
		const lines = screen.lines();
		expect(lines.length).toBeLessThanOrEqual(rows - 1);
		expect(Math.max(...lines.map(line => [...line].length))).toBeLessThanOrEqual(columns);
		expect(lines.at(-1)).toContain('q quit');
	});

	test.each([
		[59, 24], [80, 11], [20, 5],
	])('when it is %dx%d, then it says the terminal is too small and what it needs', async (columns, rows) => {
		const screen = await renderApp(answered(recorded('exporters-down')), {columns, rows});
		expect(screen.frame()).toContain('terminal too small');
		expect(screen.lines().length).toBeLessThanOrEqual(rows - 1);
	});

	test('when it grows back, then the screen returns', async () => {
		const screen = await renderApp(answered(recorded('exporters-down')), {columns: 40, rows: 10});
		await screen.resize(100, 30);
		expect(screen.frame()).not.toContain('terminal too small');
		expect(screen.frame()).toContain('[1 Overview]');
	});
});

describe('Given ASCII and no colour', () => {
	test('when the screen shows, then it has no characters outside ASCII and no colour codes', async () => {
		const screen = await renderApp(answered(recorded('exporters-down')), {theme: themes.ascii});
		expect(screen.raw()).not.toMatch(/\u001B\[[\d;]*(3\d|9\d)m/);
		// Bold and inverse stay: NO_COLOR is about colour.
		expect(screen.raw()).toContain('\u001B[1m\u001B[7m[1 Overview]');
		expect(screen.frame()).toMatch(/^[\u0020-\u007E\n]*$/);
	});
});

describe('Given colours', () => {
	test('when a consumer group is stopped, then its status is red, and a stale age is yellow', async () => {
		const screen = await renderApp(failing(recorded('prometheus-unreachable'), recorded('stack-during-k6-run')));
		await screen.press('2');
		expect(screen.raw()).toMatch(/\u001B\[31mSTOP/);
		expect(screen.raw()).toMatch(/\u001B\[[\d;]*33m(\u001B\[[\d;]*m)*data 3m old \(stale\)/);
	});
});
