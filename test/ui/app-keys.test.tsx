import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {collectOptionsFor} from '../../source/ui/collect-request.js';
import {answered, failing, keys, recorded, renderApp} from './render-app.js';

afterEach(() => {
	cleanup();
});

const snapshot = recorded('stack-during-k6-run');
const activeTab = (frame: string) => /\[(\d) [\w ]+\]/.exec(frame)?.[1];

describe('Given the screen with data', () => {
	test.each([
		[['2'], '2'], [['3'], '3'], [['4'], '4'], [['4', '1'], '1'],
		[[keys.tab], '2'], [[keys.tab, keys.tab, keys.tab, keys.tab], '1'], [[keys.shiftTab], '4'],
	])('when %j are pressed, then tab %s is active', async (presses, tab) => {
		const screen = await renderApp(answered(snapshot));
		await screen.press(...presses);
		expect(activeTab(screen.frame())).toBe(tab);
	});

	test.each([
		['1', ['kafka', 'containers', 'k6']], ['2', ['kafka']], ['3', ['containers']], ['4', ['k6']],
	])('when tab %s shows, then only domains %j are requested', async (tab, domains) => {
		const screen = await renderApp(answered(snapshot));
		await screen.press(tab);
		expect(collectOptionsFor(screen.feed.requests.at(-1)!, 'http://x').domains).toEqual(domains);
	});

	test('when keys arrive in one read (typed fast, pasted), then each one counts, in order', async () => {
		const screen = await renderApp(answered(snapshot));
		await screen.press(`2${keys.down}`);
		await screen.press(`/lag${keys.enter}`);
		expect(activeTab(screen.frame())).toBe('2');
		expect(screen.frame()).toContain('filter: lag');
	});

	test('when the terminal width changes step, then the sparkline points requested follow', async () => {
		const screen = await renderApp(answered(snapshot), {columns: 80, rows: 24});
		expect(screen.feed.requests.at(-1)!.points).toBe(10);
		await screen.resize(200, 60);
		expect(screen.feed.requests.at(-1)!.points).toBe(32);
	});

	test('when p is pressed, then polling pauses and the header says so; p again resumes', async () => {
		const screen = await renderApp(answered(snapshot));
		await screen.press('p');
		expect(screen.feed.getState().paused).toBe(true);
		expect(screen.lines()[0]).toContain('PAUSED');
		await screen.press('p');
		expect(screen.feed.getState().paused).toBe(false);
		expect(screen.lines()[0]).not.toContain('PAUSED');
	});

	test.each([
		[['+'], '10m', 600_000], [['-'], '2m', 120_000], [['-', '-', '-'], '1m', 60_000], [['+', '+', '+'], '30m', 1_800_000],
	])('when %j is pressed, then the window is %s and requested', async (presses, label, rangeMs) => {
		const screen = await renderApp(answered(snapshot));
		await screen.press(...presses);
		expect(screen.lines()[0]).toContain(`window ${label}`);
		expect(screen.feed.requests.at(-1)!.rangeMs).toBe(rangeMs);
	});

	test('when ? is pressed, then the keys are listed; Esc closes the help', async () => {
		const screen = await renderApp(answered(snapshot));
		await screen.press('?');
		expect(screen.frame()).toContain('Keys');
		expect(screen.frame()).toMatch(/q, Ctrl-C +quit/);
		expect(screen.frame()).toContain('blank cell is no data');
		await screen.press(keys.escape);
		expect(screen.frame()).not.toContain('Ctrl-C');
		expect(screen.frame()).toContain('KAFKA');
	});

	test('when the footer shows, then it lists only the keys that work on the tab', async () => {
		const screen = await renderApp(answered(snapshot));
		expect(screen.lines().at(-1)).not.toContain('/ filter');
		await screen.press('2');
		expect(screen.lines().at(-1)).toContain('Enter partitions');
		await screen.press('4');
		expect(screen.lines().at(-1)).toContain('t tag key');
		expect(screen.lines().at(-1)).not.toContain('Enter');
	});
});

describe('Given Prometheus went away after data arrived (recorded: stack-during-k6-run, prometheus-unreachable)', () => {
	const failure = recorded('prometheus-unreachable');

	test('when the screen shows, then the last data stays with its age and the error', async () => {
		const screen = await renderApp(failing(failure, snapshot, 180_000));
		expect(screen.lines()[0]).toContain('data 3m old (stale)');
		expect(screen.lines()[2]).toMatch(/✖ Prometheus unreachable, retry in 8s, showing the last data: cannot reach Prometheus/);
		await screen.press('2');
		expect(screen.frame()).toContain('kmon-stopped');
	});

	test('when Prometheus answers again, then the error goes and the data is fresh, with no key pressed', async () => {
		const screen = await renderApp(failing(failure, snapshot, 180_000));
		screen.feed.set(answered(snapshot, 500));
		await screen.press();
		expect(screen.lines()[0]).toContain('data <5s old');
		expect(screen.lines()[0]).not.toContain('stale');
		expect(screen.frame()).not.toContain('unreachable');
	});

	test('when the data is old but Prometheus answers, then it is marked stale', async () => {
		const screen = await renderApp(answered(snapshot, 45_000));
		expect(screen.lines()[0]).toContain('data 45s old (stale)');
	});
});
