import {describe, expect, test} from 'vitest';
import type {Snapshot} from '../../source/snapshot/types.js';
import {aStepAgo, eventually, kmon, prometheusUrl, promql} from '../support/stack.js';
import {k6Request, sendStatsd} from '../support/statsd.js';

// A k6 tag value is data from outside; it reaches PromQL when kmon details the busiest tag values. Sent here
// as a StatsD datagram through the real statsd_exporter, like k6 with tags on would send it.
const hostile = '"} or vector(1) #';

describe('Given a k6 tag value that is a PromQL injection attempt', () => {
	test('then kmon shows it as a plain row value and its query is not changed by it', async () => {
		const tag = `|#name:${hostile},method:GET,status:200,scenario:security-test`;
		await eventually('the hostile tag value to be scraped with a rate', async () => {
			await sendStatsd(k6Request(tag));
			const rows = await promql('rate(k6_http_reqs{scenario="security-test"}[1m]) > 0', aStepAgo());
			return rows.length > 0 ? true : undefined;
		});

		const result = await kmon(['--once', '--json', '--prometheus', prometheusUrl, '--tag-key', 'name']);
		expect(result.code, result.stderr).toBe(0);
		const snapshot = JSON.parse(result.stdout) as Snapshot;
		expect(snapshot.k6.state).toBe('ok');
		if (snapshot.k6.state !== 'ok') {
			return;
		}

		const row = snapshot.k6.data.byTag.find(item => item.value === hostile);
		expect(row, 'the hostile value is one of the rows, verbatim').toBeDefined();
		// Had the value escaped its quotes, `or vector(1)` would add a series without the `name` label.
		expect(snapshot.k6.data.byTag.every(item => item.value !== '')).toBe(true);
		const [direct] = await promql(`sum(rate(k6_http_reqs{name=${JSON.stringify(hostile)}}[1m]))`, snapshot.takenAt);
		expect(row!.requestsPerSecond.value).toBeCloseTo(direct!.value, 6);
	});
});

describe('Given Prometheus credentials in the environment and in the URL', () => {
	test.each([
		{case: 'basic auth from the environment', args: ['--prometheus', prometheusUrl], env: {KMON_PROMETHEUS_USER: 'ann', KMON_PROMETHEUS_PASSWORD: 'pw-hunter2-secret'}},
		{case: 'a bearer token from the environment', args: ['--prometheus', prometheusUrl], env: {KMON_PROMETHEUS_TOKEN: 'tok-hunter2-secret'}},
		{case: 'user and password in the URL', args: ['--prometheus', prometheusUrl.replace('://', '://ann:url-hunter2-secret@')], env: {}},
	])('when kmon reports with $case, then no secret is in its text, JSON or errors', async ({args, env}) => {
		for (const mode of [['--once'], ['--once', '--json']]) {
			const result = await kmon([...mode, ...args], env);
			expect(result.code, result.stderr).toBe(0);
			expect(result.stdout + result.stderr).not.toContain('hunter2');
		}
	});
});
