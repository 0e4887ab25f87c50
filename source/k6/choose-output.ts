// Which k6 output sends results where kmon can read them, decided from what `k6 version` prints. k6's built-in
// StatsD output was deprecated in v0.47.0 and removed in v0.55.0; since then StatsD needs a k6 built with the
// xk6-output-statsd extension. Stock k6 can push to Prometheus with remote write instead, and kmon's data layer
// reads both families, so that is offered as the alternative rather than silently chosen: it needs Prometheus
// started with --web.enable-remote-write-receiver, which the user has to know about.

import {fail, type Outcome, succeed} from './problem.js';

export type SemVer = {major: number; minor: number; patch: number};

export type K6Extension = {
	/** Go module, e.g. github.com/LeonAdato/xk6-output-statsd. */
	module: string;
	version: string;
	/** What it registers: a JS import path or an output name (e.g. output-statsd). */
	names: string[];
};

export type K6Build = {
	/** The version as printed, e.g. "v1.7.1"; null when k6 printed none we could read. */
	versionText: string | null;
	version: SemVer | null;
	extensions: K6Extension[];
};

/** What the user asked for: let kmon pick, insist on StatsD, or use Prometheus remote write. */
export type OutputRequest = 'auto' | 'statsd' | 'prometheus-rw';

export type OutputKind = 'statsd-extension' | 'statsd-builtin' | 'prometheus-rw';

export type OutputChoice = {
	kind: OutputKind;
	/** Arguments for `k6 run`, e.g. ["-o", "output-statsd"]. */
	args: string[];
	/** Why this output, in words (shown in the confirmation line and kept in run.json). */
	reason: string;
};

export const statsdExtensionModule = 'github.com/LeonAdato/xk6-output-statsd';
export const statsdExtensionOutput = 'output-statsd';
const buildCommand = `xk6 build --with ${statsdExtensionModule}`;
/** k6 removed its built-in StatsD output in this version. */
const statsdRemovedIn: SemVer = {major: 0, minor: 55, patch: 0};
/** k6 has shipped experimental-prometheus-rw since this version (an extension before). */
const remoteWriteSince: SemVer = {major: 0, minor: 42, patch: 0};

/**
 * Reads `k6 version --json` (k6 ≥ v0.57: {"version": "v1.0.0", "extensions": [{"module", "version", "imports"|"outputs"}]})
 * or the text of `k6 version`: "k6 v1.7.1 (commit/…, go1.24.2, linux/amd64)", then for custom builds
 * "Extensions:" and lines like "  github.com/LeonAdato/xk6-output-statsd v0.2.1, output-statsd [output]".
 */
export function parseK6Version(text: string): K6Build | undefined {
	const trimmed = text.trim();
	if (trimmed.startsWith('{')) {
		return parseJson(trimmed);
	}

	const first = /(?:^|\n)k6 (v?\d+\.\d+\.\d+[\w.+-]*)/.exec(trimmed);
	if (!first) {
		return undefined;
	}

	const extensions: K6Extension[] = [];
	for (const match of trimmed.matchAll(/^\s+(\S+) (\S+), (\S+) \[([\w-]+)\]\s*$/gm)) {
		extensions.push({module: match[1]!, version: match[2]!, names: [match[3]!]});
	}

	return {versionText: first[1]!, version: parseSemVer(first[1]!), extensions};
}

function parseJson(text: string): K6Build | undefined {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return undefined;
	}

	if (typeof value !== 'object' || value === null || typeof (value as {version?: unknown}).version !== 'string') {
		return undefined;
	}

	const {version, extensions} = value as {version: string; extensions?: unknown};
	const list = Array.isArray(extensions) ? extensions : [];
	return {
		versionText: version,
		version: parseSemVer(version),
		extensions: list.flatMap((entry: unknown) => {
			if (typeof entry !== 'object' || entry === null) {
				return [];
			}

			// k6 v0.57–v1.6 list every registered name under "imports"; v1.7 and later put outputs under "outputs".
			const {module, version: extensionVersion, imports, outputs} = entry as {module?: unknown; version?: unknown; imports?: unknown; outputs?: unknown};
			const names = [imports, outputs].flatMap(list => Array.isArray(list) ? list.filter((name): name is string => typeof name === 'string') : []);
			return typeof module === 'string'
				? [{module, version: typeof extensionVersion === 'string' ? extensionVersion : '', names}]
				: [];
		}),
	};
}

function parseSemVer(text: string): SemVer | null {
	const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text);
	return match ? {major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3])} : null;
}

function older(a: SemVer, b: SemVer): boolean {
	return a.major !== b.major ? a.major < b.major : (a.minor !== b.minor ? a.minor < b.minor : a.patch < b.patch);
}

export function hasStatsdExtension(build: K6Build): boolean {
	return build.extensions.some(extension => extension.names.includes(statsdExtensionOutput) || extension.module.endsWith('/xk6-output-statsd'));
}

/** The decision, as a pure function of what `k6 version` printed and what the user asked for. */
export function chooseOutput(versionText: string, request: OutputRequest = 'auto'): Outcome<OutputChoice> {
	const build = parseK6Version(versionText);
	if (!build) {
		const firstLine = versionText.trim().split('\n')[0] ?? '';
		return fail('k6-version-unreadable', `"k6 version" printed something kmon cannot read: "${firstLine.slice(0, 120)}"`,
			'check that --k6 / K6_BIN points at k6 (k6 version prints "k6 v1.x.y (…)")');
	}

	const label = build.versionText ?? 'an unknown version';
	if (request === 'prometheus-rw') {
		if (build.version && older(build.version, remoteWriteSince)) {
			return fail('prometheus-rw-unavailable', `k6 ${label} has no experimental-prometheus-rw output (k6 v0.42.0 and later have it)`,
				`upgrade k6, or build it with StatsD: ${buildCommand}`);
		}

		return succeed({kind: 'prometheus-rw', args: ['-o', 'experimental-prometheus-rw'], reason: `Prometheus remote write, as asked (k6 ${label})`});
	}

	if (hasStatsdExtension(build)) {
		return succeed({kind: 'statsd-extension', args: ['-o', statsdExtensionOutput], reason: `k6 ${label} has the output-statsd extension`});
	}

	if (build.version && older(build.version, statsdRemovedIn)) {
		return succeed({kind: 'statsd-builtin', args: ['-o', 'statsd'], reason: `k6 ${label} still has the built-in statsd output (removed in v0.55.0)`});
	}

	return fail(
		'k6-without-statsd',
		`k6 ${label} cannot send StatsD: the built-in statsd output was removed in v0.55.0 and this build lacks the output-statsd extension`,
		[
			`build a k6 with it: ${buildCommand} (then pass --k6 ./k6 or set K6_BIN)`,
			'or use stock k6\'s Prometheus remote write instead: --output prometheus-rw (Prometheus needs --web.enable-remote-write-receiver; kmon reads both)',
		].join('\n'),
	);
}
