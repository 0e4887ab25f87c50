// The three kinds of k6 kmon has to tell apart, selected with FAKE_K6_FLAVOR:
//   extension (default)  a custom build (xk6) of k6 v1.7.1 with github.com/LeonAdato/xk6-output-statsd:
//                        `-o output-statsd` works, `-o statsd` is the removed built-in
//   stock                an official k6 v1.7.1 release: no StatsD at all, `-o experimental-prometheus-rw`
//   legacy               an official k6 v0.54.0: the built-in (deprecated) `-o statsd`
// The strings follow k6's own code (internal/cmd/version.go, root.go's version template): official
// releases carry `commit/<10 hex>`; xk6 builds do not, because their main module is not go.k6.io/k6.

export const STATSD_EXTENSION = {
	module: 'github.com/LeonAdato/xk6-output-statsd',
	version: 'v0.2.3',
	output: 'output-statsd',
};

/** Outputs built into k6 v1.x (internal/cmd/outputs.go). kafka and datadog exist only to print why they are gone. */
const V1_BUILTIN_OUTPUTS = [
	'cloud', 'csv', 'datadog', 'experimental-opentelemetry', 'experimental-prometheus-rw', 'influxdb', 'json',
	'kafka', 'opentelemetry', 'statsd', 'web-dashboard',
];
/** Outputs built into k6 v0.54 (cmd/outputs.go), where statsd still works. */
const V054_BUILTIN_OUTPUTS = [
	'cloud', 'csv', 'datadog', 'experimental-opentelemetry', 'experimental-prometheus-rw', 'influxdb', 'json',
	'kafka', 'statsd', 'web-dashboard',
];

/**
 * @typedef {object} Flavor
 * @property {'extension'|'stock'|'legacy'} name
 * @property {string} version        k6 version with the leading "v"
 * @property {string|null} commit    10-character commit of an official release, null for xk6 builds
 * @property {string} goVersion
 * @property {boolean} hasVersionJson `k6 version --json` exists (k6 >= v1.0)
 * @property {string[]} outputs      every output name the binary registers
 * @property {'v4'|'legacy'|null} statsdClient  which DataDog client library the StatsD output uses
 * @property {string|null} statsdOutput  the -o name that sends StatsD, or null
 * @property {boolean} legacyBanner
 */

/**
 * @param {NodeJS.ProcessEnv} env
 * @returns {Flavor}
 */
export function flavorFromEnv(env = process.env) {
	const name = env.FAKE_K6_FLAVOR || 'extension';
	/** @type {Flavor} */
	let flavor;
	switch (name) {
		case 'extension':
			flavor = {
				name, version: 'v1.7.1', commit: null, goVersion: 'go1.26.2', hasVersionJson: true,
				outputs: [...V1_BUILTIN_OUTPUTS, STATSD_EXTENSION.output], statsdClient: 'v4',
				statsdOutput: STATSD_EXTENSION.output, legacyBanner: false,
			};
			break;
		case 'stock':
			flavor = {
				name, version: 'v1.7.1', commit: '9f82e6f1fc', goVersion: 'go1.26.2', hasVersionJson: true,
				outputs: [...V1_BUILTIN_OUTPUTS], statsdClient: null, statsdOutput: null, legacyBanner: false,
			};
			break;
		case 'legacy':
			flavor = {
				name, version: 'v0.54.0', commit: 'baba871c8a', goVersion: 'go1.23.1', hasVersionJson: false,
				outputs: [...V054_BUILTIN_OUTPUTS], statsdClient: 'legacy', statsdOutput: 'statsd', legacyBanner: true,
			};
			break;
		default:
			throw new Error(`FAKE_K6_FLAVOR must be extension, stock or legacy, not "${name}"`);
	}
	if (env.FAKE_K6_VERSION) flavor.version = env.FAKE_K6_VERSION.startsWith('v') ? env.FAKE_K6_VERSION : `v${env.FAKE_K6_VERSION}`;
	return flavor;
}

/** `k6 version` (and `k6 --version`) as printed on stdout, trailing newline(s) included. */
export function versionText(flavor, platform = 'linux/amd64') {
	const bare = flavor.version.replace(/^v/, '');
	const build = flavor.commit
		? `commit/${flavor.commit}, ${flavor.goVersion}, ${platform}`
		: `${flavor.goVersion}, ${platform}`;
	let text = `${bare} (${build})`;
	if (flavor.name === 'extension') {
		text += `\nExtensions:\n  ${STATSD_EXTENSION.module} ${STATSD_EXTENSION.version}, ${STATSD_EXTENSION.output} [output]\n`;
	}
	return `k6 v${text}\n`;
}

/** `k6 version --json` on stdout (k6 >= v1.0): Go's JSON of a map, so keys sorted, one line. */
export function versionJson(flavor, platform = 'linux/amd64') {
	const [goOs, goArch] = platform.split('/');
	/** @type {Record<string, unknown>} */
	const details = {};
	if (flavor.commit) details.commit = flavor.commit;
	if (flavor.name === 'extension') {
		details.extensions = [{
			module: STATSD_EXTENSION.module, version: STATSD_EXTENSION.version, outputs: [STATSD_EXTENSION.output],
		}];
	}
	details.go_arch = goArch;
	details.go_os = goOs;
	details.go_version = flavor.goVersion;
	details.version = flavor.version;
	return `${JSON.stringify(details)}\n`;
}

/**
 * The list k6 prints in "invalid output type 'x', available types are: ..." (sorted; kafka and
 * datadog left out).
 */
export function availableOutputList(flavor) {
	return flavor.outputs.filter((name) => name !== 'kafka' && name !== 'datadog').sort().join(', ');
}

/**
 * Why an output cannot be created, exactly as k6 words it, or null when it can.
 * @returns {string|null}
 */
export function outputError(flavor, output) {
	if (!flavor.outputs.includes(output)) {
		return `invalid output type '${output}', available types are: ${availableOutputList(flavor)}`;
	}
	if (output === 'statsd' && flavor.statsdOutput !== 'statsd') {
		return "could not create the 'statsd' output: the statsd output was deprecated in k6 v0.47.0 and removed in k6 v0.55.0, "
			+ 'please use the new xk6 statsd output extension instead. '
			+ 'It can be found at https://github.com/LeonAdato/xk6-output-statsd and '
			+ 'more info at https://github.com/grafana/k6/issues/2982';
	}
	if (output === 'kafka') {
		return "could not create the 'kafka' output: the kafka output was deprecated in k6 v0.32.0 and removed in k6 v0.34.0, "
			+ 'please use the new xk6 kafka output extension instead - https://github.com/k6io/xk6-output-kafka';
	}
	if (output === 'datadog') {
		return "could not create the 'datadog' output: the datadog output was deprecated in k6 v0.32.0 and removed in k6 v0.34.0, "
			+ 'please use the statsd output extension https://github.com/LeonAdato/xk6-output-statsd with environment '
			+ 'variable K6_STATSD_ENABLE_TAGS=true or an experimental opentelemetry output instead';
	}
	return null;
}
