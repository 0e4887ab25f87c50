import {describe, expect, test} from 'vitest';
import {resolveK6Options, runsFolder} from '../../../source/k6/k6-options.js';

describe('Given k6 settings from flags and environment', () => {
	test('when nothing is set, then the defaults apply', () => {
		expect(resolveK6Options({}, {HOME: '/home/u'})).toMatchObject({ok: true, value: {statsdAddr: '127.0.0.1:8125', output: 'auto', stopGraceMs: 10_000}});
	});

	test.each([
		{case: 'the flag beats everything', flags: {statsdAddr: 'a:1'}, env: {KMON_STATSD_ADDR: 'b:2', K6_STATSD_ADDR: 'c:3'}, expected: 'a:1'},
		{case: 'KMON_STATSD_ADDR beats K6_STATSD_ADDR', flags: {}, env: {KMON_STATSD_ADDR: 'b:2', K6_STATSD_ADDR: 'c:3'}, expected: 'b:2'},
		{case: 'the user\'s own K6_STATSD_ADDR beats the default', flags: {}, env: {K6_STATSD_ADDR: 'c:3'}, expected: 'c:3'},
		{case: 'an IPv6 address works', flags: {statsdAddr: '[::1]:8125'}, env: {}, expected: '[::1]:8125'},
	])('when $case, then StatsD goes to $expected', ({flags, env, expected}) => {
		expect(resolveK6Options(flags, env)).toMatchObject({ok: true, value: {statsdAddr: expected}});
	});

	test.each([
		{flags: {statsdAddr: '127.0.0.1'}, code: 'bad-statsd-addr'},
		{flags: {statsdAddr: 'host:99999'}, code: 'bad-statsd-addr'},
		{flags: {output: 'influxdb'}, code: 'bad-output'},
		{flags: {stopGrace: 'soon'}, code: 'bad-stop-grace'},
	])('when $flags is given, then it is refused with $code', ({flags, code}) => {
		expect(resolveK6Options(flags, {})).toMatchObject({ok: false, problem: {code}});
	});

	test('when the grace period comes from KMON_K6_STOP_GRACE, then it is used', () => {
		expect(resolveK6Options({}, {KMON_K6_STOP_GRACE: '2s'})).toMatchObject({ok: true, value: {stopGraceMs: 2000}});
	});

	test.each([
		{env: {XDG_STATE_HOME: '/state'}, expected: '/state/kmon/runs'},
		{env: {XDG_STATE_HOME: 'relative/ignored'}, expected: /\.local\/state\/kmon\/runs$/},
		{env: {}, expected: /\.local\/state\/kmon\/runs$/},
	])('when the environment is $env, then runs are kept in $expected', ({env, expected}) => {
		expect(runsFolder(env)).toMatch(expected);
	});
});
