import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import type {K6RunControls} from '../../source/ui/app.js';
import {answered, recorded, renderApp} from './render-app.js';

afterEach(() => {
	cleanup();
});

// What r shows before a run starts: long, because it names the script by its path and what kmon sets for k6.
const confirmation = 'press r again to run: k6 run -o output-statsd ../../tmp/kmon-faults-AbCdEf/load.js · K6_STATSD_ENABLE_TAGS=true K6_STATSD_ADDR=127.0.0.1:8125 (x cancels)';

function runsSaying(line: string): K6RunControls {
	return {start() {}, stop() {}, status: () => line, subscribe: () => () => undefined, active: () => false};
}

describe('Given a run line longer than the header has room for', () => {
	test.each([[120], [80], [60]])('when the terminal is %i columns wide, then the header still shows the run line, cut, with the title and the data age', async columns => {
		const screen = await renderApp(answered(recorded('stack-during-k6-run')), {columns, rows: 30, runs: runsSaying(confirmation)});
		const header = screen.lines()[0]!;
		expect(header).toMatch(/^kmon 0\.1\.0 /);
		expect(header).toContain('data <5s old');
		expect(header).toMatch(/press r again.*… · ▲ \d diagnostic/);
		expect([...header].length).toBeLessThanOrEqual(columns - 1);
	});

	test('when the terminal is wide enough, then the run line shows whole', async () => {
		const screen = await renderApp(answered(recorded('stack-during-k6-run')), {columns: 260, rows: 30, runs: runsSaying(confirmation)});
		const header = screen.lines()[0]!;
		expect(header).toContain(confirmation);
		// Not padded: the diagnostics count follows it at once.
		expect(header).toMatch(/\(x cancels\) · ▲ \d diagnostic/);
	});
});
