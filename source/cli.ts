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
				json: argv.includes('--json') ? true : undefined,
				ascii: argv.includes('--ascii') ? true : undefined,
			},
			env: process.env,
			file: readConfigFile(configFileCandidates(process.cwd(), process.env)),
		});
		if (config.json && !config.once) {
			throw new UsageError('--json goes with --once (kmon --once --json)');
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

	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		process.stderr.write('kmon: the monitor needs a terminal; for scripts use kmon --once (or kmon --once --json)\n');
		return 2;
	}

	const {resolveK6Options} = await import('./k6/k6-options.js');
	const k6 = resolveK6Options({stopGrace: cli.flags.stopGrace}, process.env);
	if (!k6.ok) {
		process.stderr.write(`kmon: ${k6.problem.message} (${k6.problem.fix})\n`);
		return 2;
	}

	// Ink and React load only here, so --once stays light and never writes terminal control codes.
	const {startUi} = await import('./ui/start.js');
	const {createRunController} = await import('./k6/run-controller.js');
	const {createRunKeys} = await import('./k6/run-keys.js');
	const controller = createRunController({config, k6: k6.value});
	const runs = createRunKeys(controller, config.k6Script);
	const {createStackOffer} = await import('./stack/stack-offer.js');
	const code = await startUi(config, {runs, stack: createStackOffer(config.prometheusUrl)});
	if (controller.state.status === 'stopping') {
		// Asked to stop (x) before quitting: see it through, or a hung k6 would outlive its hard stop.
		process.stderr.write('kmon: waiting for k6 to stop (hard stop after the grace period)…\n');
		await controller.settled();
	} else if (controller.state.status === 'running') {
		// Quitting never orphans a run silently: it goes on, logging to its folder, and says how to stop it.
		controller.detach();
		const run = controller.state.run;
		process.stderr.write(`kmon: k6 run ${run?.id ?? ''} left running (pid ${run?.pid ?? '?'}), logging to ${run?.folder ?? 'its run folder'}; stop it with: kmon runs stop ${run?.id ?? 'ID'}\n`);
	} else if (controller.state.summary.state === 'pending') {
		// The run has ended and its summary waits for Prometheus to scrape k6's last numbers: say so, and let
		// Ctrl-C give it up rather than leave a silent shell for up to the wait.
		process.stderr.write(`kmon: saving the k6 run's summary once Prometheus has its last numbers (at most ${k6.value.summaryWaitMs / 1000}s; Ctrl-C skips it)…\n`);
		const skip = () => {
			controller.skipSummary();
		};

		process.once('SIGINT', skip);
		await controller.settled();
		process.off('SIGINT', skip);
	}

	controller.dispose();
	return code;
}
