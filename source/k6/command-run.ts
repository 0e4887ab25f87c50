import {constants} from 'node:os';
import process from 'node:process';
import meow from 'meow';
import {resolveConfig, type Config} from '../config/config.js';
import {configFileCandidates, readConfigFile} from '../config/config-file.js';
import {UsageError} from '../config/usage-error.js';
import {escapeControls} from '../format/escape-controls.js';
import {shellExitCode} from './exit-codes.js';
import {k6Defaults, type K6Options, resolveK6Options} from './k6-options.js';
import type {Problem} from './problem.js';
import {createRunController, type RunController} from './run-controller.js';
import {liveRuns} from './run-store.js';

const help = `
	Usage
	  $ kmon run SCRIPT [options] [-- extra k6 run arguments]

	Runs k6 with StatsD tags on (K6_STATSD_ENABLE_TAGS=true, K6_STATSD_ADDR), streams its output, keeps the run
	in $XDG_STATE_HOME/kmon/runs (logs, run.json, summary.json) and exits with k6's exit code.
	Ctrl-C stops k6 gracefully (SIGINT); a second Ctrl-C, or the end of --stop-grace, kills it.

	Options
	  --k6 PATH           k6 binary                                      [K6_BIN, else k6 on PATH]
	  --statsd-addr H:P   statsd_exporter's UDP address                  [KMON_STATSD_ADDR, K6_STATSD_ADDR, ${k6Defaults.statsdAddr}]
	  --output KIND       auto | statsd | prometheus-rw                  [KMON_K6_OUTPUT, ${k6Defaults.output}]
	                      auto: the output-statsd extension, or -o statsd on k6 < v0.55;
	                      prometheus-rw: stock k6's -o experimental-prometheus-rw to --prometheus
	  --stop-grace D      time between the graceful and the hard stop    [KMON_K6_STOP_GRACE, ${k6Defaults.stopGrace}]
	  --prometheus URL    for the run summary (and remote write)         [KMON_PROMETHEUS_URL, http://localhost:9090]
	  --tag-key KEY       k6 tag the summary breaks results down by      [KMON_TAG_KEY, name]
	  --no-summary        do not take summary.json at the end

	Examples
	  $ kmon run stack/k6/example.js -- --vus 10 --duration 1m
	  $ kmon run load.js --output prometheus-rw

	Exit codes
	  k6's own (0 ok, 99 thresholds failed, 105 stopped, 107 script exception, …) · 2 bad usage, k6 or script
	  not found, or a k6 without a usable output · 128+N killed by signal N (hard stop: 137)
`;

/** `kmon run SCRIPT [-- k6 args]`: the UI's start key without the UI. */
export async function runCommand(argv: string[]): Promise<number> {
	// Everything after "--" belongs to k6, untouched (it may look like kmon's own flags).
	const split = argv.indexOf('--');
	const own = split < 0 ? argv : argv.slice(0, split);
	const k6Args = split < 0 ? [] : argv.slice(split + 1);
	const cli = meow(help, {
		importMeta: import.meta,
		argv: own,
		allowUnknownFlags: false,
		flags: {
			k6: {type: 'string'},
			statsdAddr: {type: 'string'},
			output: {type: 'string'},
			stopGrace: {type: 'string'},
			prometheus: {type: 'string'},
			tagKey: {type: 'string'},
			summary: {type: 'boolean', default: true},
		},
	});

	if (cli.input.length !== 1) {
		return usage(cli.input.length === 0
			? 'kmon run needs a k6 script (kmon run SCRIPT [-- k6 args])'
			: `kmon run takes one script; put k6's own arguments after -- (got ${cli.input.join(' ')})`);
	}

	let config: Config;
	try {
		config = resolveConfig({
			flags: {prometheus: cli.flags.prometheus, tagKey: cli.flags.tagKey},
			env: process.env,
			file: readConfigFile(configFileCandidates(process.cwd(), process.env)),
		});
	} catch (error) {
		if (error instanceof UsageError) {
			return usage(error.message);
		}

		throw error;
	}

	const options = resolveK6Options(cli.flags, process.env);
	if (!options.ok) {
		return problem(options.problem);
	}

	return runAndStream(cli.input[0]!, k6Args, config, options.value, cli.flags.summary);
}

async function runAndStream(script: string, k6Args: string[], config: Config, k6: K6Options, summarize: boolean): Promise<number> {
	const controller = createRunController({config, k6, summarize});
	// The terminal sends Ctrl-C to kmon only (k6 has its own process group): the first one is forwarded as k6's
	// graceful stop, the second is the hard stop. SIGTERM and SIGHUP (terminal closed) stop k6 the same way.
	// The handlers go in before anything starts, so a Ctrl-C while k6 is being started is not lost either.
	let interrupted = false;
	const onSignal = () => {
		interrupted = true;
		const {status, summary} = controller.state;
		if (summary.state === 'pending') {
			// k6 has ended; only the summary is being waited for, and the user does not want to wait.
			controller.skipSummary();
			note('skipping the run summary');
			return;
		}

		if (status !== 'running' && status !== 'stopping') {
			return;
		}

		controller.stop();
		note(status === 'stopping'
			? 'killing k6 and its process group'
			: `stopping k6 gracefully (SIGINT); Ctrl-C again to kill it, or it is killed in ${k6.stopGraceMs / 1000}s`);
	};

	const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
	for (const signal of signals) {
		process.on(signal, onSignal);
	}

	try {
		return await streamRun(controller, script, k6Args, k6, () => interrupted, onSignal);
	} finally {
		for (const signal of signals) {
			process.off(signal, onSignal);
		}

		controller.dispose();
	}
}

async function streamRun(controller: RunController, script: string, k6Args: string[], k6: K6Options, interrupted: () => boolean, stop: () => void): Promise<number> {
	const plan = await controller.prepare(script, k6Args);
	if (!plan.ok) {
		return problem(plan.problem);
	}

	if (interrupted()) {
		note('interrupted before k6 started');
		return 130;
	}

	note(`${plan.value.description}`);
	note(`output: ${plan.value.output.reason}`);
	controller.subscribeOutput(({stream, text}) => {
		(stream === 'stdout' ? process.stdout : process.stderr).write(text);
	});
	let summaryAnnounced = false;
	controller.subscribe(state => {
		if (state.summary.state === 'pending' && !summaryAnnounced) {
			summaryAnnounced = true;
			note(`k6 ended; waiting for Prometheus to scrape its last samples for the run summary (up to ${k6.summaryWaitMs / 1000}s; Ctrl-C skips it)`);
		}
	});

	for (const other of liveRuns(k6.runsFolder)) {
		note(`run ${other.id} is also going (k6 pid ${other.pid ?? '?'}); both load the system at once`);
	}

	const started = await controller.start(plan.value);
	if (!started.ok) {
		return problem(started.problem);
	}

	note(`run ${started.value.run!.id} · k6 pid ${started.value.run!.pid} · logs in ${started.value.run!.folder}`);
	if (interrupted()) {
		// Ctrl-C came while k6 was being started: stop it now that there is something to stop.
		stop();
	}

	const final = await controller.settled();
	const exit = final.exit!;
	note(`k6 ${exit.signal ? `was killed (${exit.signal})` : `exited ${exit.code}`}: ${exit.meaning} · run ${final.run!.id}`);
	if (final.summary.state === 'saved') {
		note(`summary: ${final.summary.file}${final.summary.message ? ` (${final.summary.message})` : ''} · kmon runs show ${final.run!.id}`);
	} else if (final.summary.state === 'failed' || final.summary.state === 'skipped') {
		note(`no summary: ${final.summary.message}`);
	}

	return shellExitCode(exit, constants.signals);
}

/** kmon's own lines; they quote k6's version output and errors, so those lose their control characters. */
function note(text: string): void {
	process.stderr.write(`kmon: ${escapeControls(text)}\n`);
}

function usage(message: string): number {
	note(message);
	return 2;
}

function problem({message, fix}: Problem): number {
	note(message);
	process.stderr.write(`${fix.split('\n').map(line => `  ${line}`).join('\n')}\n`);
	return 2;
}
