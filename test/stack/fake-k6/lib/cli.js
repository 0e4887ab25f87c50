// Command-line parsing with the conventions of k6's cobra/pflag front end: `--flag value`,
// `--flag=value`, `-u 10`, `-u10`, repeatable -o/-e/--tag, flags before or after the script.

import {parseDuration} from './gofmt.js';

export class UsageError extends Error {}

/** Flags of `k6 run` that fake-k6 understands. type: string | int | duration | bool | list */
const RUN_FLAGS = [
	{long: 'out', short: 'o', type: 'list', help: 'uri for an external metrics database'},
	{long: 'vus', short: 'u', type: 'int', help: 'number of virtual users'},
	{long: 'duration', short: 'd', type: 'duration', help: 'test duration limit'},
	{long: 'iterations', short: 'i', type: 'int', help: 'script total iteration limit (among all VUs)'},
	{long: 'env', short: 'e', type: 'list', help: 'add/override environment variable with VAR=value'},
	{long: 'tag', short: '', type: 'list', help: 'add a tag to be applied to all samples, as [name]=[value]'},
	{long: 'quiet', short: 'q', type: 'bool', help: 'disable progress updates'},
	{long: 'no-color', short: '', type: 'bool', help: 'disable colored output'},
	{long: 'no-summary', short: '', type: 'bool', help: "don't show the summary at the end of the test"},
	{long: 'no-thresholds', short: '', type: 'bool', help: "don't run thresholds"},
	{long: 'summary-mode', short: '', type: 'string', help: 'determine the summary mode, "compact", "full" or "legacy"'},
	{long: 'log-format', short: '', type: 'string', help: 'log output format'},
	{long: 'verbose', short: 'v', type: 'bool', help: 'enable verbose logging'},
];

function flagName(flag) {
	return flag.short ? `-${flag.short}, --${flag.long}` : `--${flag.long}`;
}

/**
 * Parses `k6 run` arguments (everything after "run").
 * @param {string[]} args
 * @returns {{flags: Record<string, any>, positional: string[]}}
 */
export function parseRunArgs(args) {
	/** @type {Record<string, any>} */
	const flags = {out: [], env: [], tag: []};
	const positional = [];
	for (let i = 0; i < args.length; i += 1) {
		const arg = args[i];
		if (arg === '--') {
			positional.push(...args.slice(i + 1));
			break;
		}
		if (!arg.startsWith('-') || arg === '-') {
			positional.push(arg);
			continue;
		}
		let flag;
		let inline;
		if (arg.startsWith('--')) {
			const [name, ...rest] = arg.slice(2).split('=');
			flag = RUN_FLAGS.find((f) => f.long === name);
			if (!flag) throw new UsageError(`unknown flag: --${name}`);
			if (rest.length > 0) inline = rest.join('=');
		} else {
			const short = arg[1];
			flag = RUN_FLAGS.find((f) => f.short === short);
			if (!flag) throw new UsageError(`unknown shorthand flag: '${short}' in ${arg}`);
			if (arg.length > 2) inline = arg[2] === '=' ? arg.slice(3) : arg.slice(2);
		}
		if (flag.type === 'bool') {
			flags[flag.long] = inline === undefined ? true : inline === 'true';
			continue;
		}
		let value = inline;
		if (value === undefined) {
			i += 1;
			if (i >= args.length) throw new UsageError(`flag needs an argument: ${arg.startsWith('--') ? arg : `'${flag.short}' in -${flag.short}`}`);
			value = args[i];
		}
		flags[flag.long] = convert(flag, value, flags[flag.long]);
	}
	return {flags, positional};
}

function convert(flag, value, previous) {
	switch (flag.type) {
		case 'list':
			return [...previous, value];
		case 'int':
			if (!/^[-+]?\d+$/.test(value)) {
				throw new UsageError(`invalid argument "${value}" for "${flagName(flag)}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`);
			}
			return Number.parseInt(value, 10);
		case 'duration':
			try {
				return parseDuration(value);
			} catch (error) {
				throw new UsageError(`invalid argument "${value}" for "${flagName(flag)}" flag: ${error.message}`);
			}
		default:
			return value;
	}
}

/** "k=v" pairs (from --tag and -e) into an object; k6 rejects entries without "=". */
export function parsePairs(list, what) {
	/** @type {Record<string,string>} */
	const out = {};
	for (const item of list) {
		const at = item.indexOf('=');
		if (at <= 0) throw new UsageError(`invalid ${what} '${item}', expected format NAME=VALUE`);
		out[item.slice(0, at)] = item.slice(at + 1);
	}
	return out;
}

/**
 * What a script's `export const options` says about vus/duration/iterations, read with regular
 * expressions (fake-k6 does not run JavaScript). The first occurrence of each wins.
 * @param {string} source
 */
export function scriptOptions(source) {
	const at = source.search(/export\s+(const|let|var)\s+options\b/);
	if (at < 0) return {};
	const text = source.slice(at);
	/** @type {{vus?: number, durationNs?: number, iterations?: number}} */
	const options = {};
	const vus = /\bvus\s*:\s*(\d+)/.exec(text);
	if (vus) options.vus = Number(vus[1]);
	const duration = /\bduration\s*:\s*['"`]([^'"`]+)['"`]/.exec(text);
	if (duration) options.durationNs = parseDuration(duration[1]);
	const iterations = /\biterations\s*:\s*(\d+)/.exec(text);
	if (iterations) options.iterations = Number(iterations[1]);
	return options;
}

/** k6 run's usage text, short. */
export function runUsage() {
	const lines = RUN_FLAGS.map((f) => `  ${flagName(f).padEnd(24)} ${f.help}`);
	return `Start a test.\n\nUsage:\n  k6 run [flags] test_script\n\nFlags:\n${lines.join('\n')}\n`;
}
