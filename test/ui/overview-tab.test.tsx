import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {formatCount, formatPercent} from '../../source/format/units.js';
import type {Snapshot} from '../../source/snapshot/types.js';
import {answered, keys, recorded, renderApp} from './render-app.js';

afterEach(() => {
	cleanup();
});

const ok = <T,>(section: Snapshot['kafka'] | Snapshot['containers'] | Snapshot['k6']): T => {
	if (section.state !== 'ok') {
		throw new Error('fixture section is not ok');
	}

	return section.data as T;
};

describe('Given the real stack during a k6 run with a consumer group gone (recorded: kafka-group-gone)', () => {
	const snapshot = recorded('kafka-group-gone');
	const kafka = ok<Extract<Snapshot['kafka'], {state: 'ok'}>['data']>(snapshot.kafka);
	const containers = ok<Extract<Snapshot['containers'], {state: 'ok'}>['data']>(snapshot.containers);

	test('when Overview shows, then each area has its key signals', async () => {
		const screen = await renderApp(answered(snapshot));
		const frame = screen.frame();
		const totalLag = kafka.groups.reduce((sum, group) => sum + (group.lag.value ?? 0), 0);
		expect(frame).toContain(`total lag ${formatCount(totalLag)}`);
		expect(frame).toContain(`worst ${kafka.groups.find(group => group.group === 'kmon-stopped')!.status} kmon-stopped`);
		expect(frame).toContain('1 GONE');
		const busiest = [...containers.containers].sort((a, b) => (b.cpuPercent.value ?? 0) - (a.cpuPercent.value ?? 0))[0]!;
		expect(frame).toContain(`${busiest.name} ${formatPercent(busiest.cpuPercent.value)}`);
		expect(frame).toMatch(/req\/s \d+/);
		expect(frame).toMatch(/p95 \d+ms/);
		expect(frame).toMatch(/VUs \d+/);
	});

	test('when Overview shows, then every diagnostic is there with its fix', async () => {
		const screen = await renderApp(answered(snapshot));
		for (const diagnostic of snapshot.diagnostics) {
			expect(screen.frame()).toContain(diagnostic.message.slice(0, 40));
			expect(screen.frame()).toContain(`fix: ${diagnostic.fix.slice(0, 40)}`);
		}
	});

	test('when the diagnostics do not all fit and ↓ is pressed, then the next page shows', async () => {
		const down = recorded('exporters-down');
		const screen = await renderApp(answered(down), {columns: 100, rows: 20});
		expect(screen.frame()).toMatch(/DIAGNOSTICS 7 1-\d of 7/);
		await screen.press(...Array.from({length: 5}, () => keys.down));
		expect(screen.frame()).toMatch(/DIAGNOSTICS 7 [4-6]-\d of 7/);
		expect(screen.frame()).toMatch(/› [✖▲]/);
	});
});
