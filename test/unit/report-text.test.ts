import {readFileSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import {renderText} from '../../source/report/text.js';
import type {Snapshot} from '../../source/snapshot/types.js';

// Both snapshots were recorded from the real test stack (see test/fixtures/*/README.md).
const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as Snapshot;

describe('Given kmon --once printing a snapshot as text', () => {
	test('when Prometheus has no kafka_exporter series, then consumer groups read unknown with the reason and the fix, never "no consumer groups"', () => {
		const text = renderText(fixture('snapshots/kafka-without-exporter.json'), 120);
		const groups = text.slice(text.indexOf('KAFKA consumer groups'), text.indexOf('KAFKA brokers'));
		expect(groups).toContain('consumer groups unknown: no kafka_exporter series: consumer-group lag is unknown');
		expect(groups).toContain('fix: check the kafka-exporter target (kmon status)');
		expect(groups).not.toContain('no consumer groups');
	});

	test('when kafka_exporter reports groups, then the total lag and the groups are listed', () => {
		const text = renderText(fixture('prometheus/stack.snapshot.json'), 120);
		const groups = text.slice(text.indexOf('KAFKA consumer groups'), text.indexOf('KAFKA brokers'));
		expect(groups).toMatch(/total lag \S+ over 2 group-topic pairs/);
		expect(groups).toContain('kmon-lagging');
		expect(groups).not.toContain('unknown:');
	});
});
