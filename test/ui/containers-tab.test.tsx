import {readFileSync} from 'node:fs';
import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {formatBytes, formatPercent} from '../../source/format/units.js';
import type {Container, Snapshot} from '../../source/snapshot/types.js';
import {answered, keys, recorded, renderApp, type Screen} from './render-app.js';

afterEach(() => {
	cleanup();
});

const snapshot = recorded('stack-during-k6-run');
// The local test stack without Docker: cgroups that cAdvisor reports by path, on the host's network.
const localStack = JSON.parse(readFileSync(new URL('../fixtures/prometheus/stack.snapshot.json', import.meta.url), 'utf8')) as Snapshot;
/** The selected container's detail line: its name, then a note in parentheses or the colon. */
const detailOf = (screen: Screen, name: string) => screen.lines().find(line => line.startsWith(`${name}:`) || line.startsWith(`${name} (`));
const containers: Container[] = snapshot.containers.state === 'ok' ? snapshot.containers.data.containers : [];
const namesShown = (screen: Screen) => screen.lines().filter(line => /^[› ] \S/.test(line) && !line.includes('NAME')).map(line => line.slice(2).split(/\s+/)[0]);
const by = (value: (container: Container) => number | null) => [...containers].sort((a, b) => (value(b) ?? -1) - (value(a) ?? -1)).map(container => container.name);

async function containersTab(columns = 120, rows = 40) {
	const screen = await renderApp(answered(snapshot), {columns, rows});
	await screen.press('3');
	return screen;
}

describe('Given the Containers tab on the real stack (recorded: stack-during-k6-run)', () => {
	test('when it shows, then containers are sorted by CPU, with memory, limit, network and disk', async () => {
		expect(containers.length).toBeGreaterThan(2);
		// Docker's state takes a column of its own: all the I/O columns fit from 160 columns on.
		const screen = await containersTab(160);
		expect(namesShown(screen)).toEqual(by(container => container.cpuPercent.value));
		const top = containers.find(container => container.name === by(container => container.cpuPercent.value)[0])!;
		expect(screen.lines().find(line => line.startsWith('›'))).toContain(formatPercent(top.cpuPercent.value));
		expect(screen.lines().find(line => line.startsWith('›'))).toContain(formatBytes(top.memoryWorkingSetBytes.value));
		expect(screen.frame()).toContain('CPU in % of one core');
		for (const column of ['CPU HISTORY', 'MEMORY', 'LIMIT', 'NET RX', 'NET TX', 'DISK W']) {
			expect(screen.frame()).toContain(column);
		}
	});

	test('when s is pressed, then they sort by memory (and memory is requested), then by name', async () => {
		const screen = await containersTab();
		await screen.press('s');
		expect(screen.frame()).toContain('sort memory');
		expect(namesShown(screen)).toEqual(by(container => container.memoryWorkingSetBytes.value));
		expect(screen.feed.requests.at(-1)!.containerSort).toBe('memory');
		await screen.press('s');
		expect(namesShown(screen)).toEqual(containers.map(container => container.name).sort((a, b) => a.localeCompare(b)));
	});

	test('when / kafka is typed, then only matching containers stay', async () => {
		const screen = await containersTab();
		await screen.press('/', 'k', 'a', 'f', 'k', 'a');
		expect(namesShown(screen)).toEqual(by(container => container.cpuPercent.value).filter(name => name.includes('kafka')));
		expect(screen.frame()).toContain('filter: kafka_');
	});

	test('when ↓ is pressed, then the next container is selected and its image and compose service show', async () => {
		const screen = await containersTab();
		await screen.press(keys.down);
		const second = containers.find(container => container.name === by(container => container.cpuPercent.value)[1])!;
		expect(screen.lines().find(line => line.startsWith('›'))).toContain(second.name);
		expect(screen.lines().find(line => line.startsWith(`${second.name} `) || line.startsWith(`${second.name}:`))).toContain(`image ${second.image ?? '–'}`);
	});

	test('when it shows at 80x24, then disk and service columns drop', async () => {
		const screen = await containersTab(80, 24);
		expect(screen.frame()).toContain('NAME');
		expect(screen.frame()).not.toContain('DISK R');
		expect(screen.frame()).not.toContain('SERVICE');
	});
});

describe('Given containers for which cAdvisor reports no network or disk series', () => {
	test.each([
		{fixture: 'the local stack (test/fixtures/prometheus)', snapshot: localStack, name: 'kafka', says: 'not from compose, no network or disk I/O from cAdvisor (host network, or its network metrics off), /kmon-test/kafka'},
		{fixture: 'stack-during-k6-run', snapshot, name: 'kmon-prometheus', says: 'no disk I/O from cAdvisor'},
	])('when $name ($fixture) is selected, then the detail line says why its cells show –', async ({snapshot, name, says}) => {
		const screen = await renderApp(answered(snapshot), {columns: 200, rows: 40});
		await screen.press('3', '/', ...name);
		await screen.press(keys.enter);
		const detail = detailOf(screen, name);
		expect(detail).toContain(says);
	});

	test('when a container reports network but no disk, then the detail line names the disk only', async () => {
		const screen = await renderApp(answered(snapshot), {columns: 200, rows: 40});
		await screen.press('3', '/', ...'kmon-kafka');
		await screen.press(keys.enter);
		const detail = detailOf(screen, 'kmon-kafka');
		expect(detail).toBeDefined();
		expect(detail).toContain('no disk I/O from cAdvisor');
		expect(detail).not.toContain('network');
	});
});
