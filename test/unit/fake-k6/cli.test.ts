// `k6 run` argument handling, with cobra/pflag's conventions.
import {describe, expect, it} from 'vitest';
import {parsePairs, parseRunArgs, scriptOptions, UsageError} from '../../stack/fake-k6/lib/cli.js';

describe('Given `k6 run` arguments', () => {
	it.each([
		[['-o', 'output-statsd', 'a.js'], {out: ['output-statsd']}, ['a.js']],
		[['--out=statsd', '--out', 'json', 'a.js'], {out: ['statsd', 'json']}, ['a.js']],
		[['a.js', '--vus', '10', '-d', '30s'], {vus: 10, duration: 30e9}, ['a.js']],
		[['-u5', '-i=20', 'a.js'], {vus: 5, iterations: 20}, ['a.js']],
		[['-e', 'BASE_URL=http://x', '--tag', 'testid=abc', '-q', 'a.js'], {env: ['BASE_URL=http://x'], tag: ['testid=abc'], quiet: true}, ['a.js']],
		[['--', '-weird-name.js'], {}, ['-weird-name.js']],
	])('when they are %j, then flags and script are read like k6 does', (args, flags, positional) => {
		const parsed = parseRunArgs(args);
		expect(parsed.flags).toMatchObject(flags);
		expect(parsed.positional).toEqual(positional);
	});

	it.each([
		[['--bogus', 'a.js'], 'unknown flag: --bogus'],
		[['-z', 'a.js'], "unknown shorthand flag: 'z' in -z"],
		[['--vus', 'ten', 'a.js'], 'invalid argument "ten" for "-u, --vus" flag: strconv.ParseInt: parsing "ten": invalid syntax'],
		[['--duration', 'soon', 'a.js'], 'invalid argument "soon" for "-d, --duration" flag: time: invalid duration "soon"'],
		[['a.js', '--out'], 'flag needs an argument: --out'],
	])('when they are %j, then pflag’s error is reported', (args, message) => {
		expect(() => parseRunArgs(args)).toThrow(UsageError);
		expect(() => parseRunArgs(args)).toThrow(message);
	});

	it('when a --tag has no "=", then it is refused', () => {
		expect(() => parsePairs(['testid'], 'tag')).toThrow(/expected format NAME=VALUE/);
		expect(parsePairs(['a=b=c'], 'tag')).toEqual({a: 'b=c'});
	});
});

describe('Given a script’s options, when fake-k6 reads them without running JavaScript', () => {
	it.each([
		["export const options = {vus: 10, duration: '30s'};", {vus: 10, durationNs: 30e9}],
		['export const options = { iterations: 5 };', {iterations: 5}],
		['export default function () {}', {}],
		['const vus = 3; export let options = {\n  vus: 7,\n  duration: "1m",\n};', {vus: 7, durationNs: 60e9}],
	])('then %j yields %o', (source, expected) => {
		expect(scriptOptions(source)).toEqual(expected);
	});
});
