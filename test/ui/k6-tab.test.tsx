import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {formatCount} from '../../source/format/units.js';
import type {K6} from '../../source/snapshot/types.js';
import {answered, keys, recorded, renderApp, type Screen} from './render-app.js';

afterEach(() => {
	cleanup();
});

const k6Of = (name: string): K6 => {
	const section = recorded(name).k6;
	if (section.state !== 'ok') {
		throw new Error(`${name} has no k6 data`);
	}

	return section.data;
};

const rowValues = (screen: Screen, k6: K6) => k6.byTag.map(row => row.value).filter(value => screen.lines().some(line => line.slice(2).startsWith(`${value} `)));

async function k6Tab(name: string, columns = 120, rows = 40) {
	const screen = await renderApp(answered(recorded(name)), {columns, rows});
	await screen.press('4');
	return screen;
}

describe('Given the k6 tab during a tagged run (recorded: stack-during-k6-run)', () => {
	const k6 = k6Of('stack-during-k6-run');

	test('when it shows, then totals have values and sparklines, and each tag value has a row', async () => {
		const screen = await k6Tab('stack-during-k6-run');
		for (const label of ['req/s', 'p95', 'p99', 'failed', 'VUs']) {
			expect(screen.frame()).toMatch(new RegExp(`${label} \\S+ +[ ▁▂▃▄▅▆▇█]+`));
		}

		expect(screen.frame()).toContain(`BY NAME  ${k6.tagValueCount} values`);
		expect(rowValues(screen, k6)).toEqual(k6.byTag.map(row => row.value));
		const first = k6.byTag[0]!;
		expect(screen.lines().find(line => line.startsWith('›'))).toContain(formatCount(first.requests));
		expect(screen.frame()).not.toContain('without tags');
	});

	test('when t is pressed, then the next tag key is requested, and its rows show when they arrive', async () => {
		const screen = await k6Tab('stack-during-k6-run');
		await screen.press('t', 't', 't');
		const keysAfterName = k6.tagKeys.slice(k6.tagKeys.indexOf('name') + 1);
		expect(screen.feed.requests.slice(-3).map(request => request.tagKey)).toEqual([...keysAfterName, ...k6.tagKeys].slice(0, 3));

		const byStatus = recorded('k6-by-status-tag');
		screen.feed.set(answered(byStatus));
		await screen.press();
		expect(screen.frame()).toContain('BY STATUS');
		expect(rowValues(screen, k6Of('k6-by-status-tag'))).toEqual(k6Of('k6-by-status-tag').byTag.map(row => row.value));
	});

	test('when / POST is typed, then only those rows stay', async () => {
		const screen = await k6Tab('stack-during-k6-run');
		await screen.press('/', 'P', 'O', 'S', 'T', keys.enter);
		expect(rowValues(screen, k6)).toEqual(k6.byTag.map(row => row.value).filter(value => value.includes('POST')));
	});

	test.each(['r', 'x'])('when %s is pressed without run controls, then it says runs cannot be started here and nothing else happens', async key => {
		const screen = await k6Tab('stack-during-k6-run');
		await screen.press(key);
		expect(screen.lines().at(-1)).toContain('k6 runs cannot be started from this monitor');
		await screen.press('j');
		expect(screen.frame()).not.toContain('cannot be started');
	});
});

describe('Given k6 run controls from the caller (issue 5 supplies them)', () => {
	test('when r and x are pressed, then they start and stop a run, and the header shows the run status', async () => {
		const calls: string[] = [];
		const listeners = new Set<() => void>();
		let status: string | null = null;
		const runs = {
			start() {
				calls.push('start');
				status = 'k6 running';
				for (const listener of listeners) {
					listener();
				}
			},
			stop() {
				calls.push('stop');
			},
			status: () => status,
			subscribe(listener: () => void) {
				listeners.add(listener);
				return () => listeners.delete(listener);
			},
		};
		const screen = await renderApp(answered(recorded('stack-during-k6-run')), {runs});
		await screen.press('r');
		expect(screen.lines()[0]).toContain('k6 running');
		await screen.press('x');
		expect(calls).toEqual(['start', 'stop']);
		expect(screen.frame()).not.toContain('cannot be started');
	});

	test('when q is pressed during a run, then kmon asks first and stays; another key takes the question back', async () => {
		const runs = {start() {}, stop() {}, status: () => 'k6 running 12s', subscribe: () => () => undefined, active: () => true};
		const screen = await renderApp(answered(recorded('stack-during-k6-run')), {runs});
		await screen.press('q');
		expect(screen.lines().at(-1)).toContain('a k6 run is going on: q again quits and leaves it running');
		await screen.press('3');
		expect(screen.frame()).toMatch(/\[3 Containers\]/);
		expect(screen.frame()).not.toContain('q again quits');
	});
});

describe('Given k6 requests arriving without tags (recorded: k6-untagged-requests)', () => {
	test('when the k6 tab shows, then the missing-tags diagnostic and its fix are in place above the table', async () => {
		const screen = await k6Tab('k6-untagged-requests');
		const lines = screen.lines();
		const warning = lines.findIndex(line => line.includes('k6 requests are arriving without tags'));
		expect(warning).toBeGreaterThan(0);
		expect(lines[warning + 1]).toContain('fix: set K6_STATSD_ENABLE_TAGS=true');
		expect(lines.findIndex(line => line.startsWith('BY NAME'))).toBeGreaterThan(warning);
	});
});
