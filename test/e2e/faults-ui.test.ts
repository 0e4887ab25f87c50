import {type ChildProcess, execFileSync, spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {prometheusUrl} from '../support/stack.js';
import {type Pane, type TmuxServer, tmuxServer} from '../support/tmux.js';
import {type PrometheusProxy, prometheusProxy} from '../support/prometheus-proxy.js';

// Faults of the terminal and of timing, on the real kmon binary in tmux against the real stack: a signal while a
// poll hangs, a storm of resizes, a terminal below the minimum size. What a user sees, read with capture-pane.

let server: TmuxServer;
let panes = 0;

function openKmon(columns: number, rows: number, args: string[] = ['--prometheus', prometheusUrl]): Pane {
	return server.open(`kmon${++panes}`, `node bin/kmon.js ${args.map(arg => `'${arg}'`).join(' ')}`, {columns, rows});
}

/** What makes a screen whole: one header, one tab bar, the footer on the last line Ink uses, nothing wider than the pane. */
function expectWhole(lines: string[], columns: number, rows: number) {
	const screen = lines.join('\n');
	expect(lines.filter(line => line.startsWith('kmon ')), screen).toHaveLength(1);
	expect(lines.filter(line => /1 Overview.*2 Kafka.*3 Containers.*4 k6/.test(line)), screen).toHaveLength(1);
	expect(lines[rows - 2], screen).toContain('q quit');
	expect(lines.slice(rows - 1).join('').trim(), screen).toBe('');
	expect(Math.max(...lines.map(line => [...line].length)), screen).toBeLessThanOrEqual(columns);
}

/** The notice below 60x12, and nothing else on the screen. */
function expectTooSmall(lines: string[], columns: number, rows: number) {
	const screen = lines.join('\n');
	const written = lines.map(line => line.trimEnd()).filter(line => line !== '');
	expect(written, screen).toEqual(['terminal too small', `${columns}x${rows}, need 60x12`, 'enlarge it, or q to quit']);
	expect(lines.slice(0, 3).map(line => line.trimEnd()), screen).toEqual(written);
	expect(Math.max(...lines.map(line => [...line].length)), screen).toBeLessThanOrEqual(columns);
}

const rssMegabytes = (pid: number) => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

beforeAll(async () => {
	const ready = await fetch(`${prometheusUrl}/-/ready`).then(response => response.ok, () => false);
	if (!ready) {
		throw new Error(`no Prometheus at ${prometheusUrl}: start the test stack first (npm run stack:up)`);
	}

	// The binary under test is dist/: build it from the current sources.
	execFileSync('npx', ['tsc', '-p', '.']);
	server = tmuxServer(`kmon-e2e-faults-${process.pid}`);
}, 120_000);

afterEach(() => {
	server.killSessions('kmon');
});

afterAll(() => {
	server?.stop();
});

/** Makes the proxy swallow requests, and waits until one of the next poll is hanging there. */
async function hangNextPoll(proxy: PrometheusProxy) {
	proxy.hold();
	const deadline = Date.now() + 20_000;
	while (proxy.held() === 0 && Date.now() < deadline) {
		await new Promise(resolve => {
			setTimeout(resolve, 100);
		});
	}

	expect(proxy.held(), 'a request of the next poll reached the proxy').toBeGreaterThan(0);
}

describe('Given a Prometheus that stops answering in the middle of a poll', () => {
	test('when kmon gets SIGTERM while the poll hangs (its timeout is 60s), then it exits 143 at once, terminal restored', async () => {
		const proxy = await prometheusProxy();
		try {
			const pane = openKmon(100, 30, ['--prometheus', proxy.url, '--timeout', '60s', '--interval', '1s']);
			await pane.waitFor('data <5s old');
			await hangNextPoll(proxy);
			process.kill(pane.childPid(), 'SIGTERM');
			// Far sooner than the 60 s the poll could still wait for.
			await pane.waitFor('KMON_EXIT=143', 15_000);
			expect(pane.flag('#{alternate_on}')).toBe('0');
			expect(pane.flag('#{cursor_flag}')).toBe('1');
		} finally {
			await proxy.stop();
		}
	}, 90_000);
});

describe('Given a Prometheus slower than kmon\'s timeout', () => {
	test('when a poll hangs, then keys still switch tabs meanwhile, and after the timeout the screen says so over the last data', async () => {
		const proxy = await prometheusProxy();
		try {
			const pane = openKmon(160, 40, ['--prometheus', proxy.url, '--timeout', '8s', '--interval', '1s']);
			await pane.waitFor('data <5s old');
			await hangNextPoll(proxy);
			pane.keys('3');
			// The tab changes while the poll still waits for its answer: before the timeout is reported.
			const switched = await pane.waitFor(/\[3 Containers\]/, 20_000);
			expect(switched).not.toContain('timeout');
			const timedOut = await pane.waitFor(/Prometheus timeout, retry in \d+s, showing the last data: Prometheus at \S+ did not answer within 8000 ms/, 30_000);
			expect(timedOut).toContain('CONTAINERS');
			expect(timedOut).toContain('(stale)');
		} finally {
			await proxy.stop();
		}
	}, 90_000);
});

describe('Given a Prometheus of its own whose kafka-exporter target is down while the real JMX exporter answers', () => {
	// A second real Prometheus, scraping the stack's JMX exporter and a closed port as kafka-exporter.
	const url = 'http://127.0.0.1:19193';
	const folder = mkdtempSync(path.join(tmpdir(), 'kmon-target-down-'));
	let prometheus: ChildProcess | undefined;

	beforeAll(async () => {
		writeFileSync(path.join(folder, 'prometheus.yml'), [
			'global: {scrape_interval: 2s, scrape_timeout: 1s}',
			'scrape_configs:',
			'  - {job_name: jmx-exporter, static_configs: [{targets: ["127.0.0.1:5556"]}]}',
			'  - {job_name: kafka-exporter, static_configs: [{targets: ["127.0.0.1:2"]}]}',
			'',
		].join('\n'));
		prometheus = spawn('prometheus', [`--config.file=${path.join(folder, 'prometheus.yml')}`, '--web.listen-address=127.0.0.1:19193', `--storage.tsdb.path=${path.join(folder, 'data')}`], {stdio: 'ignore'});
		const deadline = Date.now() + 30_000;
		let health: string[] = [];
		while (Date.now() < deadline && health.join() !== 'up,down') {
			await new Promise(resolve => {
				setTimeout(resolve, 500);
			});
			const body = await fetch(`${url}/api/v1/targets`).then(async response => response.json(), () => undefined) as {data?: {activeTargets: Array<{labels: {job: string}; health: string}>}} | undefined;
			const targets = body?.data?.activeTargets ?? [];
			health = ['jmx-exporter', 'kafka-exporter'].map(job => targets.find(target => target.labels.job === job)?.health ?? 'unknown');
		}

		expect(health, 'the second Prometheus scraped the JMX exporter (up) and the closed port (down)').toEqual(['up', 'down']);
	}, 60_000);

	afterAll(() => {
		prometheus?.kill();
		rmSync(folder, {recursive: true, force: true});
	});

	test('when the Kafka tab shows, then it names that target with Prometheus\'s scrape error, and the brokers panel keeps the JMX figures', async () => {
		const pane = openKmon(160, 40, ['--prometheus', url]);
		await pane.waitFor('data <5s old');
		pane.keys('2');
		// The JMX figures follow once this Prometheus holds a scrape from before kmon's evaluation time (≤ 5 s).
		const screen = await pane.waitFor(/Prometheus cannot scrape kafka-exporter at 127\.0\.0\.1:2: .*connection refused[\s\S]*controllers 1/, 30_000);
		expect(screen).toMatch(/fix: check that kafka-exporter is running and that Prometheus reaches 127\.0\.0\.1:2/);
		expect(screen).not.toContain('Prometheus cannot scrape jmx-exporter');
	}, 60_000);
});

describe('Given kmon on the real stack', () => {
	test('when the terminal is resized 40 times within a couple of seconds, then kmon lives, answers keys, fits the final size, and its memory stays bounded', async () => {
		const pane = openKmon(120, 40);
		await pane.waitFor('data <5s old');
		pane.keys('2');
		await pane.waitFor('CONSUMER GROUPS');
		const pid = pane.childPid();
		// Wider, narrower, below the minimum, taller, shorter: 40 sizes, ~40 ms apart.
		const steps: Array<[number, number]> = [[80, 24], [200, 60], [61, 13], [150, 45], [45, 9], [132, 50], [100, 20], [240, 70]];
		const sizes = Array.from({length: 40}, (_, index) => steps[index % steps.length]!);
		for (const [columns, rows] of sizes) {
			pane.resize(columns, rows);
			execFileSync('sleep', ['0.04']);
		}

		pane.resize(110, 35);
		await pane.waitUntil(lines => {
			expectWhole(lines, 110, 35);
		});
		expect(pane.capture()).toContain('CONSUMER GROUPS');
		// Still answering keys: another tab, then help.
		pane.keys('3');
		await pane.waitFor('[3 Containers]');
		await pane.waitFor(/CONTAINERS +\d+/);
		pane.keys('?');
		await pane.waitFor(/help/i);
		pane.keys('Escape', '1');
		await pane.waitFor('[1 Overview]');
		await pane.waitUntil(lines => {
			expectWhole(lines, 110, 35);
		});
		expect(rssMegabytes(pid)).toBeLessThan(250);
		pane.keys('q');
		await pane.waitFor('KMON_EXIT=0');
	}, 90_000);
});

describe('Given a terminal smaller than 60x12', () => {
	test('when kmon starts in 50x10, then it says the terminal is too small and what it needs; grown to 100x30 it shows the full screen; q quits with 0', async () => {
		const pane = openKmon(50, 10);
		await pane.waitFor('terminal too small');
		await pane.waitUntil(lines => {
			expectTooSmall(lines, 50, 10);
		});
		expect(pane.flag('#{alternate_on}')).toBe('1');
		pane.resize(100, 30);
		await pane.waitFor('data <5s old');
		await pane.waitUntil(lines => {
			expectWhole(lines, 100, 30);
		});
		expect(pane.capture()).not.toContain('terminal too small');
		pane.keys('q');
		await pane.waitFor('KMON_EXIT=0');
		expect(pane.flag('#{alternate_on}')).toBe('0');
	}, 60_000);

	test.each([
		[59, 30],
		[100, 11],
	])('when a running kmon is shrunk to %ix%i, then only the notice shows through later polls; growing back restores the screen; q quits with 0 from the notice', async (columns, rows) => {
		const pane = openKmon(100, 30, ['--prometheus', prometheusUrl, '--interval', '1s']);
		await pane.waitFor('data <5s old');
		pane.resize(columns, rows);
		await pane.waitUntil(lines => {
			expectTooSmall(lines, columns, rows);
		});
		// Polls go on behind the notice (one a second): the screen must stay as it is, not fill with their frames.
		execFileSync('sleep', ['3']);
		expectTooSmall(pane.lines(), columns, rows);
		pane.resize(100, 30);
		await pane.waitUntil(lines => {
			expectWhole(lines, 100, 30);
		});
		await pane.waitFor('data <5s old');
		pane.resize(columns, rows);
		await pane.waitUntil(lines => {
			expectTooSmall(lines, columns, rows);
		});
		pane.keys('q');
		await pane.waitFor('KMON_EXIT=0');
		expect(pane.flag('#{alternate_on}')).toBe('0');
		expect(pane.flag('#{cursor_flag}')).toBe('1');
	}, 60_000);
});
