import {describe, expect, test} from 'vitest';
import {childEnvironment, type ChildEnvironmentSettings} from '../../../source/k6/child-environment.js';

const statsd: ChildEnvironmentSettings = {
	output: 'statsd-extension',
	statsdAddr: '127.0.0.1:8125',
	prometheusUrl: 'http://prom:9090',
	credentials: {kind: 'none'},
	headers: {},
};

describe('Given the user\'s environment', () => {
	test('when k6 sends StatsD, then tags are forced on and the address set, the rest kept', () => {
		const result = childEnvironment({PATH: '/bin', K6_STATSD_ENABLE_TAGS: 'false', K6_VUS: '5'}, statsd);
		expect(result.env).toMatchObject({PATH: '/bin', K6_STATSD_ENABLE_TAGS: 'true', K6_STATSD_ADDR: '127.0.0.1:8125', K6_VUS: '5'});
		expect(result.set).toEqual(['K6_STATSD_ENABLE_TAGS', 'K6_STATSD_ADDR']);
	});

	test('when kmon has Prometheus credentials in its environment, then k6 does not get them', () => {
		const result = childEnvironment({KMON_PROMETHEUS_USER: 'u', KMON_PROMETHEUS_PASSWORD: 'p4ss', KMON_PROMETHEUS_TOKEN: 't0k', HOME: '/h'}, statsd);
		expect(result.env).toEqual(expect.not.objectContaining({KMON_PROMETHEUS_PASSWORD: expect.anything()}));
		expect(Object.values(result.env)).not.toContain('p4ss');
		expect(Object.values(result.env)).not.toContain('t0k');
		expect(result.removed).toEqual(['KMON_PROMETHEUS_PASSWORD', 'KMON_PROMETHEUS_TOKEN', 'KMON_PROMETHEUS_USER']);
	});

	test.each([
		{
			case: 'no credentials',
			settings: {...statsd, output: 'prometheus-rw' as const},
			expected: {K6_PROMETHEUS_RW_SERVER_URL: 'http://prom:9090/api/v1/write', K6_PROMETHEUS_RW_TREND_STATS: 'p(95),p(99),avg,max'},
		},
		{
			case: 'basic auth and a tenant header',
			settings: {...statsd, output: 'prometheus-rw' as const, credentials: {kind: 'basic' as const, username: 'u', password: 'p'}, headers: {'X-Scope-OrgID': 'team'}},
			expected: {K6_PROMETHEUS_RW_USERNAME: 'u', K6_PROMETHEUS_RW_PASSWORD: 'p', 'K6_PROMETHEUS_RW_HEADERS_X-Scope-OrgID': 'team'},
		},
		{
			case: 'a bearer token',
			settings: {...statsd, output: 'prometheus-rw' as const, credentials: {kind: 'bearer' as const, token: 'abc'}},
			expected: {K6_PROMETHEUS_RW_HEADERS_Authorization: 'Bearer abc'},
		},
	])('when k6 uses remote write with $case, then it is pointed at Prometheus\'s write endpoint', ({settings, expected}) => {
		const result = childEnvironment({}, settings);
		expect(result.env).toMatchObject(expected);
		expect(result.env['K6_STATSD_ENABLE_TAGS']).toBeUndefined();
		expect(result.set).toEqual(expect.arrayContaining(Object.keys(expected)));
	});

	test('when the user chose trend stats for remote write, then kmon keeps them', () => {
		const result = childEnvironment({K6_PROMETHEUS_RW_TREND_STATS: 'p(90)'}, {...statsd, output: 'prometheus-rw'});
		expect(result.env['K6_PROMETHEUS_RW_TREND_STATS']).toBe('p(90)');
		expect(result.set).not.toContain('K6_PROMETHEUS_RW_TREND_STATS');
	});
});
