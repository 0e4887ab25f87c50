import {cleanup} from 'ink-testing-library';
import stringWidth from 'string-width';
import {afterEach, describe, expect, test} from 'vitest';
import {targetProblems} from '../../source/snapshot/diagnose.js';
import type {Snapshot} from '../../source/snapshot/types.js';
import {answered, keys, recorded, renderApp, type Screen} from './render-app.js';

afterEach(() => {
	cleanup();
});

// The recorded stack with the names and errors Prometheus passed on replaced by text carrying terminal controls,
// as a k6 script, a Kafka client or a container's owner could set them (issue 19).
const evil = (what: string) => `${what}\u001B]0;PWNED\u0007\u001B[2J\u202Ex`;
const shown = (what: string) => `${what}\\e]0;PWNED\\x07\\e[2J\\u202ex`;

function hostileSnapshot(tagValue = evil('tag')): Snapshot {
	const snapshot = recorded('stack-during-k6-run');
	if (snapshot.kafka.state !== 'ok' || snapshot.containers.state !== 'ok' || snapshot.k6.state !== 'ok') {
		throw new Error('stack-during-k6-run must have every domain');
	}

	const [group] = snapshot.kafka.data.groups;
	group!.group = evil('grp');
	group!.topic = evil('tpc');
	const [container] = snapshot.containers.data.containers;
	container!.name = evil('ctr');
	snapshot.k6.data.byTag[0]!.value = tagValue;
	snapshot.targets = snapshot.targets.map(target => target.job === 'cadvisor' ? {...target, health: 'down', lastError: evil('scrape')} : target);
	snapshot.diagnostics.push(
		{id: 'hostile', severity: 'warning', area: 'k6', message: evil('diag'), fix: evil('fix')},
		...targetProblems(snapshot.targets),
	);
	return snapshot;
}

/** What reaches the terminal, less kmon's own SGR styling: it must hold no control character at all. */
const controlsLeft = (screen: Screen) => screen.raw().replaceAll(/\u001B\[[\d;]*m/g, '').replaceAll('\n', '').match(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g) ?? [];

function expectShownNotObeyed(screen: Screen, texts: string[], columns: number) {
	expect(controlsLeft(screen)).toEqual([]);
	for (const text of texts) {
		expect(screen.frame()).toContain(shown(text));
	}

	expect(Math.max(...screen.frame().split('\n').map(line => stringWidth(line)))).toBeLessThanOrEqual(columns);
}

describe('Given names, tag values and errors that carry escape sequences and bidi overrides', () => {
	test.each([
		{tab: '1', where: 'Overview', texts: ['diag', 'fix']},
		{tab: '2', where: 'Kafka', texts: ['grp', 'tpc']},
		{tab: '3', where: 'Containers', texts: ['ctr', 'scrape']},
		{tab: '4', where: 'k6', texts: ['tag']},
	])('when the $where tab shows them, then they are visible escapes, no control reaches the terminal, and lines keep their width', async ({tab, texts}) => {
		const screen = await renderApp(answered(hostileSnapshot()), {columns: 140, rows: 45});
		await screen.press(tab);
		expectShownNotObeyed(screen, texts, 140);
	});

	test('when a cell is too narrow for the escaped text, then it is cut with an ellipsis, never inside a raw sequence', async () => {
		const screen = await renderApp(answered(hostileSnapshot(evil(`tag${'-'.repeat(40)}`))), {columns: 60, rows: 20});
		await screen.press('4');
		expect(controlsLeft(screen)).toEqual([]);
		expect(screen.frame()).toMatch(/› tag-+\\e]0;PW\S*…/);
		expect(Math.max(...screen.frame().split('\n').map(line => stringWidth(line)))).toBeLessThanOrEqual(60);
	});

	test('when a filter is typed, then it matches the original text, not the escapes shown for it', async () => {
		const screen = await renderApp(answered(hostileSnapshot()), {columns: 140, rows: 45});
		await screen.press('4', '/', 'P', 'W', 'N', 'E', 'D', keys.enter);
		expect(screen.lines().filter(line => line.startsWith('›'))).toEqual([expect.stringContaining(shown('tag'))]);
		await screen.press(keys.escape, '/', '\\', 'e', keys.enter);
		expect(screen.frame()).not.toContain(shown('tag'));
	});

	test('when a k6 run\'s status line carries them, then the header shows them escaped', async () => {
		const runs = {start() {}, stop() {}, status: () => `k6 failed · ${evil('k6')}`, subscribe: () => () => undefined};
		const screen = await renderApp(answered(hostileSnapshot()), {columns: 140, rows: 45, runs});
		expect(screen.lines()[0]).toContain(shown('k6'));
		expect(controlsLeft(screen)).toEqual([]);
	});
});
