import process from 'node:process';
import meow from 'meow';
import {resolveConfig, defaults, type Config} from './config/config.js';
import {configFileCandidates, readConfigFile} from './config/config-file.js';
import {UsageError} from './config/usage-error.js';

const help = `
	Usage
	  $ kmon [options]            full-screen monitor (needs a terminal)
	  $ kmon --once [--json]      one snapshot, then exit

	Options
	  --prometheus URL   Prometheus (or Thanos, Mimir, VictoriaMetrics) base URL   [${defaults.prometheus}]
	  --interval D       time between polls, at least 1s                           [${defaults.interval}]
	  --range D          sparkline window, at least 1m                             [${defaults.range}]
	  --timeout D        per-query timeout                                         [${defaults.timeout}]
	  --header "N: V"    extra request header, repeatable (e.g. X-Scope-OrgID: team)
	  --tag-key KEY      k6 tag to break results down by                           [${defaults.tagKey}]
	  --ca-file PEM      trust this CA for an https:// Prometheus (env KMON_CA_FILE)
	  --insecure         skip TLS certificate checks (say so out loud: it is insecure)
	  --once             print one snapshot and exit
	  --json             with --once: the snapshot as JSON (schema 1)
	  --at TIME          with --once: the snapshot as of a past time (ISO-8601 or Unix seconds), e.g. a test's end
	  --k6-script FILE   the k6 script r runs in the monitor (env KMON_K6_SCRIPT); k6 from K6_BIN or PATH
	  --stop-grace D     after x, how long k6 may take to stop before it is killed (env KMON_K6_STOP_GRACE) [10s]
	  --ascii            ASCII sparklines and borders
	  --help, --version

	Environment
	  KMON_PROMETHEUS_URL, KMON_INTERVAL, KMON_RANGE, KMON_TIMEOUT, KMON_TAG_KEY
	  KMON_PROMETHEUS_USER + KMON_PROMETHEUS_PASSWORD (basic auth) or KMON_PROMETHEUS_TOKEN (bearer); never printed

	Config file (flags beat environment beat file)
	  ./kmon.config.json, else $XDG_CONFIG_HOME/kmon/config.json, e.g. {"prometheus": "http://prom:9090", "range": "15m"}

	Exit codes
	  0 ok (diagnostics do not change it) · 2 bad usage · 3 Prometheus unreachable, unauthorised or unusable

	Commands
	  $ kmon demo                 start the stack with a demo Kafka and its load, open the monitor on it
	  $ kmon up [--with-kafka]    start the bundled monitoring stack (Docker Compose)
	  $ kmon down | status        stop it | show its containers and Prometheus targets
	  $ kmon run SCRIPT [-- k6 args]   run k6 with StatsD tags on, output streamed
	  $ kmon runs [show|stop ID]  list kept k6 runs | print one | stop a detached one
`;

/** Subcommands, each in its own module, loaded only when used. */
const commands: Record<string, () => Promise<{runCommand: (argv: string[]) => Promise<number>}>> = {
	up: async () => import('./stack/command-up.js'),
	down: async () => import('./stack/command-down.js'),
	status: async () => import('./stack/command-status.js'),
	run: async () => import('./k6/command-run.js'),
	runs: async () => import('./k6/command-runs.js'),
	async demo() {
		const [demo, {runMonitor}] = await Promise.all([import('./demo/command-demo.js'), import('./monitor.js')]);
		return {runCommand: async argv => demo.runCommand(argv, async config => runMonitor(config, {}))};
	},
};

export async function main(argv = process.argv.slice(2)): Promise<number> {
	const command = argv[0] && Object.hasOwn(commands, argv[0]) ? commands[argv[0]] : undefined;
	if (command) {
		const {runCommand} = await command();
		return runCommand(argv.slice(1));
	}

	const cli = meow(help, {
		importMeta: import.meta,
		argv,
		allowUnknownFlags: false,
		flags: {
			prometheus: {type: 'string'},
			interval: {type: 'string'},
			range: {type: 'string'},
			timeout: {type: 'string'},
			header: {type: 'string', isMultiple: true},
			tagKey: {type: 'string'},
			caFile: {type: 'string'},
			k6Script: {type: 'string'},
			stopGrace: {type: 'string'},
			insecure: {type: 'boolean'},
			once: {type: 'boolean'},
			at: {type: 'string'},
			json: {type: 'boolean'},
			ascii: {type: 'boolean'},
		},
	});

	let config: Config;
	try {
		if (cli.input.length > 0) {
			throw new UsageError(`unknown command "${cli.input[0]}" (see kmon --help)`);
		}

		const {flags} = cli;
		config = resolveConfig({
			flags: {
				prometheus: flags.prometheus,
				interval: flags.interval,
				range: flags.range,
				timeout: flags.timeout,
				header: flags.header,
				tagKey: flags.tagKey,
				caFile: flags.caFile,
				k6Script: flags.k6Script,
				insecure: argv.includes('--insecure') ? true : undefined,
				// meow reports absent booleans as false; only a flag given on the command line may beat the file.
				once: argv.includes('--once') ? true : undefined,
				at: flags.at,
				json: argv.includes('--json') ? true : undefined,
				ascii: argv.includes('--ascii') ? true : undefined,
			},
			env: process.env,
			file: readConfigFile(configFileCandidates(process.cwd(), process.env)),
		});
		if (config.json && !config.once) {
			throw new UsageError('--json goes with --once (kmon --once --json)');
		}

		if (config.at && !config.once) {
			throw new UsageError('--at goes with --once (kmon --once --at 2026-12-04T15:00:00Z)');
		}
	} catch (error) {
		if (error instanceof UsageError) {
			process.stderr.write(`kmon: ${error.message}\n`);
			return 2;
		}

		throw error;
	}

	if (config.once) {
		// Like the UI, loaded only when asked for: `kmon --version` or a usage error needs no Prometheus client.
		const {runOnce} = await import('./once.js');
		return runOnce(config);
	}

	const {runMonitor} = await import('./monitor.js');
	return runMonitor(config, {stopGrace: cli.flags.stopGrace});
}
