import {describe, expect, test} from 'vitest';
import {resolveConfig} from '../../source/config/config.js';
import {parseDuration} from '../../source/config/duration.js';
import {UsageError} from '../../source/config/usage-error.js';

const resolve = (flags = {}, env = {}, file = {}) => resolveConfig({flags, env, file});

describe('Given no flags, environment or file', () => {
	test('then kmon uses the documented defaults', () => {
		const config = resolve();
		expect(config).toMatchObject({
			prometheusUrl: 'http://localhost:9090',
			intervalMs: 2000,
			rangeMs: 300_000,
			timeoutMs: 5000,
			tagKey: 'name',
			credentials: {kind: 'none'},
			once: false,
			json: false,
		});
	});
});

describe('Given the same key from several sources', () => {
	test.each([
		{case: 'a flag beats env and file', flags: {interval: '3s'}, env: {KMON_INTERVAL: '4s'}, file: {interval: '5s'}, expected: 3000},
		{case: 'env beats file', flags: {}, env: {KMON_INTERVAL: '4s'}, file: {interval: '5s'}, expected: 4000},
		{case: 'the file beats the default', flags: {}, env: {}, file: {interval: '5s'}, expected: 5000},
	])('then $case', ({flags, env, file, expected}) => {
		expect(resolve(flags, env, file).intervalMs).toBe(expected);
	});
});

describe('When a value is bad', () => {
	test.each([
		{flags: {interval: '0'}, message: /--interval must be at least 1s/},
		{flags: {interval: '500ms'}, message: /--interval must be at least 1s/},
		{flags: {interval: 'soon'}, message: /--interval takes a duration/},
		{flags: {range: '10s'}, message: /--range must be at least 1m/},
		{flags: {prometheus: 'localhost:9090'}, message: /http:\/\/ or https:\/\//},
		{flags: {prometheus: 'not a url'}, message: /--prometheus must be a URL/},
		{flags: {header: ['no colon here']}, message: /--header takes "Name: value"/},
		{flags: {tagKey: 'bad-key"'}, message: /--tag-key must be a Prometheus label name/},
	])('then $flags is refused with a one-line usage error', ({flags, message}) => {
		expect(() => resolve(flags)).toThrow(UsageError);
		expect(() => resolve(flags)).toThrow(message);
	});
});

describe('Given credentials', () => {
	test('when they are in the URL, then the URL kmon prints has none and they become basic auth', () => {
		const config = resolve({prometheus: 'https://ann:s3cret@prom.example:9090/'});
		expect(config.prometheusUrl).toBe('https://prom.example:9090');
		expect(config.prometheusUrl).not.toContain('s3cret');
		expect(config.credentials).toEqual({kind: 'basic', username: 'ann', password: 's3cret'});
	});

	test('when a token is in the environment, then it wins over a user and password', () => {
		const config = resolve({}, {KMON_PROMETHEUS_TOKEN: 'tok', KMON_PROMETHEUS_USER: 'ann', KMON_PROMETHEUS_PASSWORD: 'pw'});
		expect(config.credentials).toEqual({kind: 'bearer', token: 'tok'});
	});

	test('when headers are given in the file and as flags, then both are sent', () => {
		const config = resolve({header: ['X-Scope-OrgID: team-a']}, {}, {header: ['X-Extra: 1']});
		expect(config.headers).toEqual({'X-Scope-OrgID': 'team-a', 'X-Extra': '1'});
	});
});

describe('parseDuration', () => {
	test.each([
		['500ms', 500], ['2s', 2000], ['5m', 300_000], ['1h', 3_600_000], ['1m30s', 90_000], ['3', 3000], ['1.5s', 1500],
		['', undefined], ['5 minutes', undefined], ['-1s', undefined], ['2x', undefined],
	])('reads %j as %j ms', (text, expected) => {
		expect(parseDuration(text)).toBe(expected);
	});
});
