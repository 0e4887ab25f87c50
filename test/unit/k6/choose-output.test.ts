import {describe, expect, test} from 'vitest';
import {chooseOutput, parseK6Version} from '../../../source/k6/choose-output.js';

// Real `k6 version` output, in the formats of k6's own code over the years (lib/consts FullVersion before
// v0.57, internal/cmd/version.go since; root.go's "k6 v%s" template; ext.Extension.String() for extensions).
const versions = {
	xk6V171: 'k6 v1.7.1 (go1.26.2, linux/amd64)\nExtensions:\n  github.com/LeonAdato/xk6-output-statsd v0.2.3, output-statsd [output]\n',
	xk6V054: 'k6 v0.54.0 (go1.23.1, linux/amd64)\nExtensions:\n  github.com/LeonAdato/xk6-output-statsd v0.1.1, output-statsd [output]\n',
	xk6TwoExtensions: 'k6 v1.2.0 (go1.24.4, linux/amd64)\nExtensions:\n  github.com/grafana/xk6-faker v0.4.4, k6/x/faker [js]\n  github.com/LeonAdato/xk6-output-statsd v0.2.3, output-statsd [output]\n',
	xk6OtherOutput: 'k6 v1.2.0 (go1.24.4, linux/amd64)\nExtensions:\n  github.com/grafana/xk6-output-influxdb v0.5.0, xk6-influxdb [output]\n',
	stockV171: 'k6 v1.7.1 (commit/9f82e6f1fc, go1.26.2, linux/amd64)\n',
	stockV100Dirty: 'k6 v1.0.0 (commit/41b4984b75-dirty, go1.24.2, linux/amd64)\n',
	stockV220: 'k6 v2.2.0 (commit/87883075cc, go1.26.1, darwin/arm64)\n',
	stockV055: 'k6 v0.55.0 (commit/b7a5bc6b7e, go1.23.3, linux/amd64)\n',
	stockV054: 'k6 v0.54.0 (commit/baba871c8a, go1.23.1, linux/amd64)\n',
	stockV050: 'k6 v0.50.0 (go1.22.0, linux/amd64)\n',
	stockV045: 'k6 v0.45.0 (2023-06-19T08:40:27+0000/v0.45.0-0-gc3b4587b, go1.20.5, linux/amd64)\n',
	devBuildV045: 'k6 v0.45.0 (dev build, go1.20.5, linux/amd64)\n',
	stockV041: 'k6 v0.41.0 (2022-10-31T09:55:23+0000/v0.41.0-0-g6b5b9e1a, go1.19.2, linux/amd64)\n',
	jsonV100Extension: '{"commit":"41b4984b75","extensions":[{"module":"github.com/LeonAdato/xk6-output-statsd","version":"v0.2.1","imports":["output-statsd"]}],"go_arch":"amd64","go_os":"linux","go_version":"go1.24.2","version":"v1.0.0"}\n',
	jsonV171Extension: '{"extensions":[{"module":"github.com/LeonAdato/xk6-output-statsd","version":"v0.2.3","outputs":["output-statsd"]}],"go_arch":"amd64","go_os":"linux","go_version":"go1.26.2","version":"v1.7.1"}\n',
	jsonV171Stock: '{"commit":"9f82e6f1fc","go_arch":"amd64","go_os":"linux","go_version":"go1.26.2","version":"v1.7.1"}\n',
	jsonV171OnlyJsExtension: '{"extensions":[{"module":"github.com/grafana/xk6-faker","version":"v0.4.4","imports":["k6/x/faker"]}],"go_arch":"amd64","go_os":"linux","go_version":"go1.26.2","version":"v1.7.1"}\n',
};

describe('Given the text of `k6 version` for each kind of k6', () => {
	test.each([
		{build: 'an xk6 build of v1.7.1 with output-statsd', text: versions.xk6V171, kind: 'statsd-extension', args: ['-o', 'output-statsd']},
		{build: 'an xk6 build of v0.54 with output-statsd (the extension wins over the built-in)', text: versions.xk6V054, kind: 'statsd-extension', args: ['-o', 'output-statsd']},
		{build: 'an xk6 build with a JS extension and output-statsd', text: versions.xk6TwoExtensions, kind: 'statsd-extension', args: ['-o', 'output-statsd']},
		{build: 'stock v0.54.0, the last with the built-in statsd', text: versions.stockV054, kind: 'statsd-builtin', args: ['-o', 'statsd']},
		{build: 'stock v0.50.0 (deprecated built-in, still there)', text: versions.stockV050, kind: 'statsd-builtin', args: ['-o', 'statsd']},
		{build: 'stock v0.45.0 with the old build-date format', text: versions.stockV045, kind: 'statsd-builtin', args: ['-o', 'statsd']},
		{build: 'a v0.45.0 dev build', text: versions.devBuildV045, kind: 'statsd-builtin', args: ['-o', 'statsd']},
		{build: '`k6 version --json` of v1.0 (extension names under "imports")', text: versions.jsonV100Extension, kind: 'statsd-extension', args: ['-o', 'output-statsd']},
		{build: '`k6 version --json` of v1.7 (output names under "outputs")', text: versions.jsonV171Extension, kind: 'statsd-extension', args: ['-o', 'output-statsd']},
	])('when it is $build, then kmon uses $args', ({text, kind, args}) => {
		const choice = chooseOutput(text);
		expect(choice).toMatchObject({ok: true, value: {kind, args}});
	});

	test.each([
		{build: 'stock v1.7.1', text: versions.stockV171, version: 'v1.7.1'},
		{build: 'stock v1.0.0 built from a dirty tree', text: versions.stockV100Dirty, version: 'v1.0.0'},
		{build: 'stock v2.2.0', text: versions.stockV220, version: 'v2.2.0'},
		{build: 'stock v0.55.0, the first without statsd', text: versions.stockV055, version: 'v0.55.0'},
		{build: 'an xk6 build with another output only', text: versions.xk6OtherOutput, version: 'v1.2.0'},
		{build: 'stock v1.7.1 as JSON', text: versions.jsonV171Stock, version: 'v1.7.1'},
		{build: 'v1.7.1 with only a JS extension, as JSON', text: versions.jsonV171OnlyJsExtension, version: 'v1.7.1'},
	])('when it is $build, then kmon explains how to build k6 and offers remote write', ({text, version}) => {
		const choice = chooseOutput(text);
		expect(choice.ok).toBe(false);
		if (choice.ok) {
			return;
		}

		expect(choice.problem.code).toBe('k6-without-statsd');
		expect(choice.problem.message).toContain(version);
		expect(choice.problem.message).toContain('removed in v0.55.0');
		expect(choice.problem.fix).toContain('xk6 build --with github.com/LeonAdato/xk6-output-statsd');
		expect(choice.problem.fix).toContain('--output prometheus-rw');
	});

	test.each([
		{build: 'stock v1.7.1', text: versions.stockV171},
		{build: 'an xk6 build with output-statsd (asked for explicitly)', text: versions.xk6V171},
		{build: 'stock v0.45.0', text: versions.stockV045},
	])('when remote write is asked for and it is $build, then kmon uses -o experimental-prometheus-rw', ({text}) => {
		expect(chooseOutput(text, 'prometheus-rw')).toMatchObject({ok: true, value: {kind: 'prometheus-rw', args: ['-o', 'experimental-prometheus-rw']}});
	});

	test('when remote write is asked for and k6 is older than v0.42, then kmon says it has no such output', () => {
		expect(chooseOutput(versions.stockV041, 'prometheus-rw')).toMatchObject({ok: false, problem: {code: 'prometheus-rw-unavailable'}});
	});

	test('when StatsD is insisted on and the k6 has it, then the choice is the same as auto', () => {
		expect(chooseOutput(versions.xk6V171, 'statsd')).toEqual(chooseOutput(versions.xk6V171, 'auto'));
		expect(chooseOutput(versions.stockV171, 'statsd').ok).toBe(false);
	});

	test.each([
		{what: 'a shell error', text: 'sh: 1: k6: not found\n'},
		{what: 'another program\'s version', text: 'Python 3.11.2\n'},
		{what: 'nothing', text: ''},
		{what: 'broken JSON', text: '{"version": '},
	])('when it is $what, then kmon says it cannot read it', ({text}) => {
		expect(chooseOutput(text)).toMatchObject({ok: false, problem: {code: 'k6-version-unreadable'}});
	});
});

describe('Given version text with extensions', () => {
	test('then every extension is read with its module, version and name', () => {
		expect(parseK6Version(versions.xk6TwoExtensions)).toEqual({
			versionText: 'v1.2.0',
			version: {major: 1, minor: 2, patch: 0},
			extensions: [
				{module: 'github.com/grafana/xk6-faker', version: 'v0.4.4', names: ['k6/x/faker']},
				{module: 'github.com/LeonAdato/xk6-output-statsd', version: 'v0.2.3', names: ['output-statsd']},
			],
		});
	});
});
