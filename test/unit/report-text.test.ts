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

	test('when Prometheus has no kafka_exporter series, then the broker count is the controller\'s over JMX, and says so', () => {
		const text = renderText(fixture('snapshots/kafka-without-exporter.json'), 120);
		expect(text).toContain('brokers 1 (the controller\'s active brokers, over JMX) · active controllers 1');
	});

	test('when kafka_exporter reports groups, then the total lag and the groups are listed', () => {
		const text = renderText(fixture('prometheus/stack.snapshot.json'), 120);
		const groups = text.slice(text.indexOf('KAFKA consumer groups'), text.indexOf('KAFKA brokers'));
		expect(groups).toMatch(/total lag \S+ over 2 group-topic pairs/);
		expect(groups).toContain('kmon-lagging');
		expect(groups).not.toContain('unknown:');
	});
});

describe('Given a snapshot whose names, tag values and errors carry terminal controls', () => {
	const evil = 'evil\u001B]0;PWNED\u0007\u001B[2J\u202Ex';
	const shown = 'evil\\e]0;PWNED\\x07\\e[2J\\u202ex';

	test('when kmon --once prints it as text, then each is a visible escape, no control is left, and JSON keeps the original', () => {
		const snapshot = fixture('prometheus/stack.snapshot.json');
		if (snapshot.kafka.state !== 'ok' || snapshot.k6.state !== 'ok' || snapshot.containers.state !== 'ok') {
			throw new Error('the stack fixture must have every domain');
		}

		snapshot.kafka.data.groups[0]!.group = evil;
		snapshot.containers.data.containers[0]!.name = evil;
		snapshot.k6.data.byTag[0]!.value = evil;
		snapshot.diagnostics.push({id: 'hostile', severity: 'error', area: 'k6', message: `Prometheus says: ${evil}`, fix: evil});
		const text = renderText(snapshot, 160);
		expect(text.split('\n').filter(line => line.includes(shown))).toHaveLength(5);
		expect(text.replaceAll('\n', '')).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
		expect(JSON.parse(JSON.stringify(snapshot)).k6.data.byTag[0].value).toBe(evil);
	});
});
