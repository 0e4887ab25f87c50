import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {formatCount} from '../../source/format/units.js';
import {collectOptionsFor} from '../../source/ui/collect-request.js';
import {answered, keys, recorded, renderApp, type Screen} from './render-app.js';

afterEach(() => {
	cleanup();
});

const snapshot = recorded('kafka-group-gone');
const group = (name: string) => (snapshot.kafka.state === 'ok' ? snapshot.kafka.data.groups : []).find(row => row.group === name)!;
const rowOf = (screen: Screen, name: string) => screen.lines().find(line => line.slice(2).startsWith(`${name} `));
const selected = (screen: Screen) => screen.lines().find(line => line.startsWith('›'));
/** Presses ↓ until the group's row is selected, as a user would. */
async function select(screen: Screen, name: string): Promise<void> {
	for (let presses = 0; presses < 5 && !selected(screen)?.slice(2).startsWith(`${name} `); presses++) {
		await screen.press(keys.down);
	}

	expect(selected(screen)).toContain(name);
}

async function kafkaTab(columns = 120, rows = 40) {
	const screen = await renderApp(answered(snapshot), {columns, rows});
	await screen.press('2');
	return screen;
}

describe('Given the Kafka tab on the real stack (recorded: kafka-group-gone)', () => {
	test('when it shows at 120x40, then each group has lag, history, trend, rates, members and status, worst first', async () => {
		const screen = await kafkaTab();
		const header = screen.lines().find(line => line.trimStart().startsWith('GROUP '))!;
		for (const column of ['GROUP', 'TOPIC', 'STATUS', 'LAG', 'LAG HISTORY', 'TREND', 'DRAIN', 'CONSUME', 'PRODUCE', 'MEMBERS']) {
			expect(header).toContain(column);
		}

		// Worst first: the stopped group, whose lag only grows, above the one that drains it at each burst.
		expect(group('kmon-stopped').status).toBe('STOP');
		expect(selected(screen)).toMatch(new RegExp(`kmon-stopped +kmon-demo +STOP +${formatCount(group('kmon-stopped').lag.value)} .*growing`));
		expect(rowOf(screen, 'kmon-lagging')).toMatch(new RegExp(`kmon-lagging +kmon-demo +${group('kmon-lagging').status} +${formatCount(group('kmon-lagging').lag.value)} `));
	});

	test('when a group has vanished, then it is marked gone with no lag, not lag 0', async () => {
		const screen = await kafkaTab();
		expect(rowOf(screen, 'kmon-ui-gone (gone)')).toMatch(/GONE +– /);
		await select(screen, 'kmon-ui-gone');
		const lastSeen = group('kmon-ui-gone').lastSeen!.slice(11, 19);
		expect(screen.frame()).toMatch(new RegExp(`kmon-ui-gone: GONE \\(last seen ${lastSeen} UTC\\), its series vanished`));
	});

	test('when it shows, then the brokers panel has counts and throughput', async () => {
		const screen = await kafkaTab();
		expect(screen.frame()).toContain('BROKERS');
		expect(screen.frame()).toMatch(/brokers 1 +controllers 1 +under-replicated 0 +offline 0/);
		expect(screen.frame()).toMatch(/msgs in \d+\/s/);
	});

	test('when it shows at 80x24, then low-priority columns drop and the key ones stay', async () => {
		const screen = await kafkaTab(80, 24);
		const header = screen.lines().find(line => line.trimStart().startsWith('GROUP '))!;
		for (const column of ['GROUP', 'STATUS', 'LAG']) {
			expect(header).toContain(column);
		}

		for (const column of ['DRAIN', 'MEMBERS', 'PARTS']) {
			expect(header).not.toContain(column);
		}
	});

	test('when Enter is pressed on a group, then its per-partition lag shows and is requested; Esc goes back', async () => {
		const screen = await kafkaTab();
		await select(screen, 'kmon-lagging');
		await screen.press(keys.enter);
		expect(screen.frame()).toContain('PARTITIONS of kmon-lagging');
		const partitions = screen.lines().filter(line => /^[› ] kmon-demo +\d+ /.test(line));
		expect(partitions).toHaveLength(6);
		const request = screen.feed.requests.at(-1)!;
		expect(request.partitionsOf).toBe('kmon-lagging');
		expect(collectOptionsFor(request, 'http://x').partitions).toEqual({group: 'kmon-lagging'});

		await screen.press(keys.escape);
		expect(screen.frame()).toContain('CONSUMER GROUPS');
		expect(screen.feed.requests.at(-1)!.partitionsOf).toBeNull();
	});

	test.each([
		['lag', ['kmon-lagging'], '1 of 3'],
		['kmon', ['kmon-stopped', 'kmon-lagging', 'kmon-ui-gone (gone)'], '3'],
		['nothing-like-this', [], '0 of 3'],
	])('when the filter is %j, then the rows are %j', async (filter, names, count) => {
		const screen = await kafkaTab();
		await screen.press('/', ...filter, keys.enter);
		const shown = ['kmon-stopped', 'kmon-lagging', 'kmon-ui-gone (gone)'].filter(name => rowOf(screen, name));
		expect(shown).toEqual(names);
		expect(screen.frame()).toContain(`CONSUMER GROUPS  ${count}`);
		if (names.length === 0) {
			expect(screen.frame()).toContain('no consumer group matches the filter');
		}

		await screen.press(keys.escape);
		expect(screen.frame()).not.toContain('filter:');
	});

	test('when s is pressed, then groups sort by lag, then by name', async () => {
		const screen = await kafkaTab();
		await screen.press('s');
		expect(screen.frame()).toContain('sort lag');
		expect(selected(screen)).toContain('kmon-stopped');
		await screen.press('s');
		expect(screen.frame()).toContain('sort name');
		expect(selected(screen)).toContain('kmon-lagging');
	});
});

describe('Given the real stack without kafka_exporter (recorded: kafka-without-exporter)', () => {
	const withoutExporter = recorded('kafka-without-exporter');

	test('when the Kafka tab shows, then consumer groups are unknown with the reason and fix, never "0" or "none"', async () => {
		const screen = await renderApp(answered(withoutExporter), {columns: 120, rows: 40});
		await screen.press('2');
		expect(screen.frame()).toMatch(/CONSUMER GROUPS +unknown/);
		expect(screen.frame()).toContain('no kafka_exporter series: consumer-group lag is unknown');
		expect(screen.frame()).toContain('fix: check the kafka-exporter target (kmon status)');
		expect(screen.frame()).not.toContain('no consumer groups');
		// The JMX exporter's figures stay.
		expect(screen.frame()).toMatch(/controllers 1/);
	});

	test('when the Kafka tab shows, then the broker count comes from the controller over JMX, and says so', async () => {
		const screen = await renderApp(answered(withoutExporter), {columns: 120, rows: 40});
		await screen.press('2');
		const brokers = withoutExporter.kafka.state === 'ok' && withoutExporter.kafka.data.brokers.state === 'ok' ? withoutExporter.kafka.data.brokers.data : null;
		expect(brokers).toMatchObject({brokers: 1, brokersFrom: 'jmx-controller'});
		expect(screen.frame()).toMatch(/brokers \(JMX\) 1 +controllers 1/);
	});

	test('when the Overview shows, then its groups read unknown', async () => {
		const screen = await renderApp(answered(withoutExporter), {columns: 120, rows: 40});
		expect(screen.frame()).toMatch(/KAFKA .*groups unknown/);
		expect(screen.frame()).not.toMatch(/groups (none|0)\b/);
	});
});
