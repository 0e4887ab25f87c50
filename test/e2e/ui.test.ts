import {execFile, execFileSync} from 'node:child_process';
import {promisify} from 'node:util';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {requirePart} from '../support/components.js';
import {prometheusUrl} from '../support/stack.js';
import {type PrometheusProxy, prometheusProxy} from '../support/prometheus-proxy.js';
import {type Pane, sleep, type TmuxServer, tmuxServer} from '../support/tmux.js';

// The real kmon binary in a real terminal (tmux) against the real test stack (npm run stack:up): what a user
// sees, read back with capture-pane (test/support/tmux.ts).

const run = promisify(execFile);
let server: TmuxServer;
let panes = 0;

/** kmon in a fresh tmux session of `columns`×`rows`; after kmon exits the pane shows its exit code. */
function openKmon(columns: number, rows: number, args: string[] = ['--prometheus', prometheusUrl]): Pane {
	return server.open(`kmon${++panes}`, `node bin/kmon.js ${args.map(arg => `'${arg}'`).join(' ')}`, {columns, rows});
}

/** What makes a screen readable: one header, one tab bar, the footer on the last line Ink may use, nothing below. */
function expectReadable(pane: Pane, columns: number, rows: number) {
	const lines = pane.lines().slice(0, rows);
	expect(lines.filter(line => line.startsWith('kmon ')), pane.capture()).toHaveLength(1);
	expect(lines.filter(line => /1 Overview.*2 Kafka.*3 Containers.*4 k6/.test(line))).toHaveLength(1);
	expect(lines[rows - 2], pane.capture()).toContain('q quit');
	expect(lines[rows - 1]!.trim()).toBe('');
	expect(Math.max(...lines.map(line => [...line].length))).toBeLessThanOrEqual(columns);
}

beforeAll(async () => {
	const ready = await fetch(`${prometheusUrl}/-/ready`).then(response => response.ok, () => false);
	if (!ready) {
		throw new Error(`no Prometheus at ${prometheusUrl}: start the test stack first (npm run stack:up)`);
	}

	// The binary under test is dist/: build it from the current sources.
	await run('npx', ['tsc', '-p', '.']);
	server = tmuxServer(`kmon-e2e-ui-${process.pid}`);
}, 120_000);

afterEach(() => {
	server.killSessions('kmon');
});

afterAll(() => {
	server?.stop();
});

describe('Given kmon in a 120x40 terminal on the real stack', () => {
	beforeAll(() => {
		requirePart('kafka-exporter');
	});

	test('when it starts, then data from Prometheus appears, and the digit keys switch tabs', async () => {
		const pane = openKmon(120, 40);
		await pane.waitFor(/Prometheus 2\.\d+.*data <5s old/);
		await pane.waitFor('DIAGNOSTICS');
		const tabs: Array<[string, string, RegExp]> = [
			['2', '[2 Kafka]', /CONSUMER GROUPS[\s\S]*kmon-lagging/],
			['3', '[3 Containers]', /CONTAINERS +\d+[\s\S]*CPU HISTORY/],
			['4', '[4 k6]', /K6 TOTALS|no k6 results/],
			['1', '[1 Overview]', /KAFKA[\s\S]*CONTAINERS[\s\S]*K6[\s\S]*DIAGNOSTICS/],
		];
		for (const [key, active, content] of tabs) {
			pane.keys(key);
			const screen = await pane.waitFor(active);
			await pane.waitFor(content);
			expect(screen.split('\n').filter(line => line.includes(active))).toHaveLength(1);
		}

		pane.keys('Tab');
		await pane.waitFor('[2 Kafka]');
		pane.keys('BTab');
		await pane.waitFor('[1 Overview]');
	}, 60_000);

	test('when Enter is pressed on a consumer group, then its partitions show; Esc goes back', async () => {
		const pane = openKmon(120, 40);
		await pane.waitFor('data <5s old');
		pane.keys('2');
		await pane.waitFor(/› kmon-\S+ /);
		pane.keys('s', 's');
		await pane.waitFor('sort name');
		// Sorted by name: kmon-lagging comes before kmon-stopped.
		await pane.waitFor(/› kmon-lagging /);
		pane.keys('Enter');
		await pane.waitFor('PARTITIONS of kmon-lagging');
		// The drill-in asks for per-partition detail on the next poll: six partitions of kmon-demo.
		const screen = await pane.waitFor(/(kmon-demo +\d+ +\S+ +\S+ +\S+\s*\n[\s\S]*){6}/);
		expect(screen).toMatch(/TOPIC +PARTITION +LAG +COMMITTED +LOG END/);
		pane.keys('Escape');
		await pane.waitFor('CONSUMER GROUPS');
		expect(pane.capture()).not.toContain('PARTITIONS of');
	}, 60_000);

	test('when a filter is typed, then only matching rows stay; Esc clears it', async () => {
		const pane = openKmon(120, 40);
		await pane.waitFor('data <5s old');
		pane.keys('2');
		await pane.waitFor(/kmon-stopped[\s\S]*kmon-lagging|kmon-lagging[\s\S]*kmon-stopped/);
		pane.keys('/', 'l', 'a', 'g', 'g', 'Enter');
		const filtered = await pane.waitFor('filter: lagg (Esc clears)');
		expect(filtered).toMatch(/› kmon-lagging /);
		expect(filtered).not.toMatch(/^ {2}kmon-stopped /m);
		pane.keys('Escape');
		await pane.waitFor(/^ {2}kmon-stopped |^› kmon-stopped /m);
		expect(pane.capture()).not.toContain('filter:');
	}, 60_000);

	test('when the terminal is resized to 80x24, 200x60 and back, then every frame stays readable', async () => {
		const pane = openKmon(120, 40);
		await pane.waitFor('data <5s old');
		pane.keys('2');
		await pane.waitFor('CONSUMER GROUPS');
		for (const [columns, rows] of [[80, 24], [200, 60], [120, 40], [80, 24]] as const) {
			pane.resize(columns, rows);
			await sleep(800);
			expectReadable(pane, columns, rows);
			expect(pane.capture()).toContain('CONSUMER GROUPS');
		}

		// At 80 columns the low-priority columns are gone, the key ones stay (a table needs groups to have a header).
		const header = pane.lines().find(line => line.trimStart().startsWith('GROUP '))!;
		expect(header).toMatch(/GROUP +TOPIC +STATUS +LAG/);
		expect(header).not.toContain('MEMBERS');

		pane.resize(50, 10);
		await pane.waitFor('terminal too small');
		pane.resize(100, 30);
		await pane.waitFor('CONSUMER GROUPS');
		expectReadable(pane, 100, 30);
	}, 60_000);
});

describe('Given kmon quitting', () => {
	test.each([
		['q', 0],
		['C-c', 0],
	])('when %s is pressed, then kmon exits %d and the terminal is restored (main screen, cursor shown)', async (key, code) => {
		const pane = openKmon(100, 30);
		await pane.waitFor('data <5s old');
		expect(pane.flag('#{alternate_on}')).toBe('1');
		pane.keys(key);
		const screen = await pane.waitFor(`KMON_EXIT=${code}`);
		expect(screen).not.toContain('q quit');
		expect(pane.flag('#{alternate_on}')).toBe('0');
		expect(pane.flag('#{cursor_flag}')).toBe('1');
	}, 30_000);

	test.each([
		['TERM', 143],
		['HUP', 129],
	])('when kmon gets SIG%s, then it exits %d and the terminal is restored', async (signal, code) => {
		const pane = openKmon(100, 30);
		await pane.waitFor('data <5s old');
		const shell = pane.flag('#{pane_pid}');
		// kmon's only child of the pane's shell (its process title is "kmon", not "node").
		const node = execFileSync('pgrep', ['-P', shell], {encoding: 'utf8'}).trim();
		expect(node).toMatch(/^\d+$/);
		process.kill(Number(node), `SIG${signal}` as NodeJS.Signals);
		await pane.waitFor(`KMON_EXIT=${code}`);
		expect(pane.flag('#{alternate_on}')).toBe('0');
		expect(pane.flag('#{cursor_flag}')).toBe('1');
	}, 30_000);
});

describe('Given Prometheus going away and coming back', () => {
	// kmon reaches Prometheus through a proxy this test closes and reopens.
	let proxy: PrometheusProxy;

	beforeAll(async () => {
		proxy = await prometheusProxy();
	});

	afterAll(async () => {
		await proxy.stop().catch(() => undefined);
	});

	test('when it stops, then the last data stays with its age and the error, retries wait two intervals at most, and when it is back, kmon recovers by itself', async () => {
		const pane = openKmon(120, 40, ['--prometheus', proxy.url]);
		// What stays on screen: a consumer group.
		const kept = 'kmon-lagging';
		pane.keys('2');
		await pane.waitFor(new RegExp(`data <5s old[\\s\\S]*${kept}`));
		await proxy.stop();
		const stale = await pane.waitFor(/Prometheus unreachable, retry in \d+s, showing the last data/);
		expect(stale).toContain('(stale)');
		expect(stale).toContain(kept);
		// Four failed polls at the 2-s interval: retries have stopped growing at two intervals (4 s), where a
		// doubling back-off would wait 8 s and more.
		await sleep(12_000);
		const retry = /retry in (\d+)s/.exec(pane.capture());
		expect(Number(retry?.[1])).toBeLessThanOrEqual(4);
		await proxy.start();
		const recovered = await pane.waitFor(/data <5s old(?! \(stale\))/, 15_000);
		expect(recovered).toContain(kept);
		await sleep(2500);
		expect(pane.capture()).not.toContain('unreachable');
	}, 90_000);
});
