import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import type {Snapshot} from '../../source/snapshot/types.js';
import {answered, recorded, renderApp} from './render-app.js';

afterEach(() => {
	cleanup();
});

const underlined = /\u001B\[4m(?:\u001B\[[\d;]*m)*([^\u001B]+)/g;

/** Points of the window whose step overlaps a run (runs still going end at the end of the window). */
function pointsInRuns(snapshot: Snapshot, shown: number): number {
	const end = Date.parse(snapshot.window.end);
	const step = snapshot.window.stepSeconds * 1000;
	const times = Array.from({length: snapshot.window.points}, (_, index) => end - ((snapshot.window.points - 1 - index) * step)).slice(-shown);
	return times.filter(at => snapshot.runs.some(run => Date.parse(run.startedAt) < at && (run.endedAt === null || Date.parse(run.endedAt) > at - step))).length;
}

describe('Given a k6 run started with kmon run during the window (recorded: overview-during-kmon-run)', () => {
	const snapshot = recorded('overview-during-kmon-run');

	test('when Overview shows, then the sparkline cells since the run started are underlined, the ones before are not', async () => {
		expect(snapshot.runs).toHaveLength(1);
		const screen = await renderApp(answered(snapshot), {columns: 120, rows: 40});
		const line = screen.raw().split('\n').find(text => text.includes('req/s'))!;
		const marks = [...line.matchAll(underlined)].map(match => match[1]!);
		// 120 columns: 16-cell sparklines.
		expect(marks[0]).toHaveLength(pointsInRuns(snapshot, 16));
		expect(marks[0]!.length).toBeGreaterThan(0);
		expect(marks[0]!.length).toBeLessThan(16);
	});

	test('when the Kafka and k6 tabs show, then their sparklines carry the same marks', async () => {
		const screen = await renderApp(answered(snapshot), {columns: 120, rows: 40});
		await screen.press('4');
		expect(screen.raw()).toMatch(underlined);
		await screen.press('2');
		expect(screen.raw()).toMatch(underlined);
	});

	test('when ? is pressed, then the help says what the underlined cells are', async () => {
		const screen = await renderApp(answered(snapshot));
		await screen.press('?');
		expect(screen.frame()).toContain('fall inside a k6 run started by kmon');
	});
});

describe('Given a k6 run that ended inside the window (recorded: overview-after-kmon-run)', () => {
	test('when Overview shows, then only the cells of the run are underlined: newer ones are plain again', async () => {
		const snapshot = recorded('overview-after-kmon-run');
		expect(snapshot.runs[0]!.endedAt).not.toBeNull();
		const screen = await renderApp(answered(snapshot), {columns: 200, rows: 60});
		const line = screen.raw().split('\n').find(text => text.includes('req/s'))!;
		const marks = [...line.matchAll(underlined)].map(match => match[1]!);
		// 200 columns: 32-cell sparklines; the run (about 2.5 minutes) ended a step or two before the window did.
		expect(marks[0]).toHaveLength(pointsInRuns(snapshot, 32));
		// The newest points, after the run ended, are not marked.
		const afterStart = {...snapshot, runs: [{...snapshot.runs[0]!, endedAt: null}]};
		expect(pointsInRuns(snapshot, 32)).toBeLessThan(pointsInRuns(afterStart, 32));
	});
});

describe('Given no run in the window (recorded: stack-during-k6-run, a fake-k6 run not started by kmon)', () => {
	test('when Overview shows, then nothing is underlined', async () => {
		const screen = await renderApp(answered(recorded('stack-during-k6-run')));
		expect(screen.raw()).not.toMatch(underlined);
	});
});
