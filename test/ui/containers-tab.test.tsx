import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {formatBytes, formatPercent} from '../../source/format/units.js';
import type {Container} from '../../source/snapshot/types.js';
import {answered, keys, recorded, renderApp, type Screen} from './render-app.js';

afterEach(() => {
	cleanup();
});

const snapshot = recorded('stack-during-k6-run');
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
		const screen = await containersTab();
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
		expect(screen.frame()).toContain(`${second.name}: image ${second.image}`);
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
		{fixture: 'kafka-without-exporter', name: 'kafka', says: 'not from compose, no network or disk I/O from cAdvisor (host network, or its network metrics off), /kmon-test/kafka'},
		{fixture: 'stack-during-k6-run', name: 'kmon-prometheus', says: 'no disk I/O from cAdvisor'},
	])('when $name ($fixture) is selected, then the detail line says why its cells show –', async ({fixture, name, says}) => {
		const screen = await renderApp(answered(recorded(fixture)), {columns: 200, rows: 40});
		await screen.press('3', '/', ...name);
		await screen.press(keys.enter);
		const detail = screen.lines().find(line => line.startsWith(`${name}:`));
		expect(detail).toContain(says);
	});

	test('when a container reports both, then the detail line says nothing about them', async () => {
		const screen = await renderApp(answered(snapshot), {columns: 200, rows: 40});
		await screen.press('3', '/', ...'kmon-kafka');
		await screen.press(keys.enter);
		const detail = screen.lines().find(line => line.startsWith('kmon-kafka:'));
		expect(detail).toBeDefined();
		expect(detail).not.toContain('from cAdvisor');
	});
});
