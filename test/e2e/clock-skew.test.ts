import {execFile} from 'node:child_process';
import {promisify} from 'node:util';
import {beforeAll, describe, expect, test} from 'vitest';
import type {Snapshot} from '../../source/snapshot/types.js';
import {kmon, prometheusUrl} from '../support/stack.js';

// kmon on a clock that is off from Prometheus's (issue 19): Debian's faketime (libfaketime, LD_PRELOAD) moves
// kmon's clock by minutes or an hour, the real stack's Prometheus keeps the true time. Each skewed
// `kmon --once --json` is compared with an unskewed one that Prometheus evaluated at the same moment.

const run = promisify(execFile);

async function skewedKmon(skew: string): Promise<Snapshot> {
	const {stdout} = await run('faketime', ['-f', skew, 'node', 'bin/kmon.js', '--once', '--json', '--prometheus', prometheusUrl], {maxBuffer: 64 * 1024 * 1024});
	return JSON.parse(stdout) as Snapshot;
}

async function unskewedKmon(): Promise<Snapshot> {
	const result = await kmon(['--once', '--json', '--prometheus', prometheusUrl]);
	expect(result.code, result.stderr).toBe(0);
	return JSON.parse(result.stdout) as Snapshot;
}

/** A skewed and an unskewed snapshot evaluated at the same Prometheus time (the same 5-s grain). */
async function pairAtOneMoment(skew: string): Promise<[Snapshot, Snapshot]> {
	for (let attempt = 1; ; attempt++) {
		const [skewed, plain] = await Promise.all([skewedKmon(skew), unskewedKmon()]);
		if (skewed.takenAt === plain.takenAt || attempt === 5) {
			return [skewed, plain];
		}
	}
}

const close = (actual: number | null | undefined, expected: number | null | undefined, what: string) => {
	expect(actual, what).not.toBeNull();
	expect(expected, what).not.toBeNull();
	expect(Math.abs(actual! - expected!), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(Math.max(0.05 * Math.abs(expected!), 1e-9));
};

function data<T>(section: Snapshot['kafka'] | Snapshot['containers'], name: string): T {
	expect(section.state, `${name}: ${JSON.stringify(section).slice(0, 200)}`).toBe('ok');
	return (section as unknown as {data: T}).data;
}

beforeAll(async () => {
	const ready = await fetch(`${prometheusUrl}/-/ready`).then(response => response.ok, () => false);
	if (!ready) {
		throw new Error(`no Prometheus at ${prometheusUrl}: start the test stack first (npm run stack:up)`);
	}

	const faketime = await run('faketime', ['-f', '+1h', 'date', '+%s']).catch((error: Error) => ({stdout: '', stderr: error.message}));
	expect(Number(faketime.stdout) - (Date.now() / 1000), `faketime must move the clock by an hour (apt install faketime): ${faketime.stderr}`).toBeGreaterThan(3500);
	await run('npx', ['tsc', '-p', '.']);
}, 120_000);

describe('Given kmon on a clock that differs from Prometheus\'s', () => {
	test.each(['+2m', '-2m', '+1h', '-1h'])('when this machine is %s off, then --once evaluates on Prometheus\'s time and its figures are those of an unskewed kmon', async skew => {
		const [skewed, plain] = await pairAtOneMoment(skew);
		expect(skewed.takenAt).toBe(plain.takenAt);
		expect(skewed.window).toEqual(plain.window);

		const kafka = data<Extract<Snapshot['kafka'], {state: 'ok'}>['data']>(skewed.kafka, 'kafka');
		const plainKafka = data<typeof kafka>(plain.kafka, 'kafka');
		expect(kafka.brokers.state).toBe('ok');
		if (kafka.brokers.state === 'ok' && plainKafka.brokers.state === 'ok') {
			close(kafka.brokers.data.messagesInPerSecond.value, plainKafka.brokers.data.messagesInPerSecond.value, 'messages in per second');
		}

		const lagging = kafka.groups.find(group => group.group === 'kmon-lagging');
		const plainLagging = plainKafka.groups.find(group => group.group === 'kmon-lagging');
		close(lagging?.produceRate, plainLagging?.produceRate, 'kmon-lagging produce rate');
		close(lagging?.lag.value, plainLagging?.lag.value, 'kmon-lagging lag');
		expect(lagging?.lag.history.filter(point => point !== null).length).toBe(plainLagging?.lag.history.filter(point => point !== null).length);

		const containers = data<Extract<Snapshot['containers'], {state: 'ok'}>['data']>(skewed.containers, 'containers');
		const plainContainers = data<typeof containers>(plain.containers, 'containers');
		expect(containers.containers.length).toBeGreaterThan(0);
		expect(containers.containers.map(container => container.name).sort()).toEqual(plainContainers.containers.map(container => container.name).sort());
		const kafkaContainer = containers.containers.find(container => container.name === 'kafka');
		const plainKafkaContainer = plainContainers.containers.find(container => container.name === 'kafka');
		close(kafkaContainer?.memoryWorkingSetBytes.value, plainKafkaContainer?.memoryWorkingSetBytes.value, 'kafka container memory');
		expect(kafkaContainer?.cpuPercent.value).not.toBeNull();

		const diagnostic = skewed.diagnostics.find(item => item.id === 'clock-skew');
		const seconds = {'+2m': 120, '-2m': 120, '+1h': 3600, '-1h': 3600}[skew]!;
		expect(diagnostic?.message).toContain(`about ${seconds} s ${skew.startsWith('+') ? 'behind' : 'ahead of'} this machine's; kmon asks on Prometheus's time`);
		expect(plain.diagnostics.some(item => item.id === 'clock-skew')).toBe(false);
	}, 60_000);
});
