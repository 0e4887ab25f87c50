// `k6 version` is how kmon decides which output to use: the strings must be k6's own.
import {describe, expect, it} from 'vitest';
import {availableOutputList, flavorFromEnv, outputError, versionJson, versionText} from '../../stack/fake-k6/lib/versions.js';

describe('Given a fake-k6 flavor, when `k6 version` runs', () => {
	it.each([
		[
			'the default (xk6 build with output-statsd)', {},
			'k6 v1.7.1 (go1.26.2, linux/amd64)\nExtensions:\n  github.com/LeonAdato/xk6-output-statsd v0.2.3, output-statsd [output]\n\n',
		],
		['stock k6 v1.x', {FAKE_K6_FLAVOR: 'stock'}, 'k6 v1.7.1 (commit/9f82e6f1fc, go1.26.2, linux/amd64)\n'],
		['k6 v0.54 with the built-in statsd output', {FAKE_K6_FLAVOR: 'legacy'}, 'k6 v0.54.0 (commit/baba871c8a, go1.23.1, linux/amd64)\n'],
		['a pinned version', {FAKE_K6_FLAVOR: 'legacy', FAKE_K6_VERSION: '0.46.0'}, 'k6 v0.46.0 (commit/baba871c8a, go1.23.1, linux/amd64)\n'],
	])('then %s prints k6’s format', (_, env, expected) => {
		expect(versionText(flavorFromEnv(env))).toBe(expected);
	});

	it('then an unknown flavor is refused', () => {
		expect(() => flavorFromEnv({FAKE_K6_FLAVOR: 'nightly'})).toThrow(/extension, stock or legacy/);
	});
});

describe('Given `k6 version --json`', () => {
	it('when the build has the extension, then the JSON lists it under extensions with its output', () => {
		const json = JSON.parse(versionJson(flavorFromEnv({})));
		expect(json).toEqual({
			extensions: [{module: 'github.com/LeonAdato/xk6-output-statsd', version: 'v0.2.3', outputs: ['output-statsd']}],
			go_arch: 'amd64', go_os: 'linux', go_version: 'go1.26.2', version: 'v1.7.1',
		});
	});

	it('when k6 is stock, then there is a commit and no extensions, keys sorted as Go encodes a map', () => {
		const text = versionJson(flavorFromEnv({FAKE_K6_FLAVOR: 'stock'}));
		expect(text).toBe('{"commit":"9f82e6f1fc","go_arch":"amd64","go_os":"linux","go_version":"go1.26.2","version":"v1.7.1"}\n');
	});

	it('when k6 is v0.54, then the flag does not exist yet', () => {
		expect(flavorFromEnv({FAKE_K6_FLAVOR: 'legacy'}).hasVersionJson).toBe(false);
	});
});

describe('Given `k6 run -o <output>`', () => {
	it.each([
		['extension', 'output-statsd', null],
		['extension', 'experimental-prometheus-rw', null],
		['legacy', 'statsd', null],
		['stock', 'experimental-prometheus-rw', null],
		['stock', 'output-statsd', "invalid output type 'output-statsd', available types are: cloud, csv, experimental-opentelemetry, experimental-prometheus-rw, influxdb, json, opentelemetry, statsd, web-dashboard"],
		['legacy', 'output-statsd', "invalid output type 'output-statsd', available types are: cloud, csv, experimental-opentelemetry, experimental-prometheus-rw, influxdb, json, statsd, web-dashboard"],
		['stock', 'statsd', /^could not create the 'statsd' output: the statsd output was deprecated in k6 v0.47.0 and removed in k6 v0.55.0/],
		['extension', 'statsd', /^could not create the 'statsd' output: the statsd output was deprecated/],
	])('when the flavor is %s and the output %s, then k6 answers %s', (flavor, output, expected) => {
		const error = outputError(flavorFromEnv({FAKE_K6_FLAVOR: flavor}), output);
		if (expected === null) expect(error).toBeNull();
		else if (typeof expected === 'string') expect(error).toBe(expected);
		else expect(error).toMatch(expected);
	});

	it('when the extension is built in, then output-statsd appears in the sorted list', () => {
		expect(availableOutputList(flavorFromEnv({}))).toContain('opentelemetry, output-statsd, statsd, web-dashboard');
	});
});
