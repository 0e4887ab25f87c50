#!/usr/bin/env node
// fake-k6: a stand-in for the k6 binary with the same behaviour at every boundary kmon touches
// (version output, `k6 run` arguments, StatsD and remote-write wire formats, progress lines, logs,
// signals, exit codes), generating real HTTP load against a local target. See README.md.

import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {parseRunArgs, parsePairs, runUsage, scriptOptions, UsageError} from './lib/cli.js';
import {Logger} from './lib/log.js';
import {SummaryCollector} from './lib/metrics.js';
import {banner, executionDescription, executorProgress, maxDurationOf, progressBlock, STATUS, summaryText} from './lib/progress.js';
import {remoteWriteConfigFromEnv, RemoteWriteConfigError, RemoteWriteOutput} from './lib/remote-write.js';
import {Run} from './lib/runner.js';
import {OutputConfigError, statsdConfigFromEnv, StatsdOutput} from './lib/statsd.js';
import {startTarget} from './lib/target.js';
import {flavorFromEnv, outputError, versionJson, versionText} from './lib/versions.js';

/** k6's exit codes (errext/exitcodes). An unclassified error makes Go's os.Exit(-1): 255. */
export const EXIT = Object.freeze({
	ok: 0, thresholdsFailed: 99, setupTimeout: 100, teardownTimeout: 101, invalidConfig: 104, externalAbort: 105,
	scriptException: 107, scriptAborted: 108, markedAsFailed: 110, generic: 255,
});

const GRACEFUL_STOP_NS = 30e9;
const DEFAULT_MAX_DURATION_NS = 600e9;

const stdout = (text) => process.stdout.write(text);

function scriptExceptionText(script) {
	const url = `file://${path.resolve(script)}`;
	return `TypeError: Cannot read property 'id' of undefined or null\n\tat default (${url}:21:17(31))\n`;
}

/** The error k6 logs for an exit code requested with FAKE_K6_EXIT_CODE. */
function exitMessage(code, script) {
	switch (code) {
		case EXIT.thresholdsFailed: return {msg: "thresholds on metrics 'http_req_duration' have been crossed"};
		case EXIT.setupTimeout: return {msg: 'setup() execution timed out after 60 seconds'};
		case EXIT.teardownTimeout: return {msg: 'teardown() execution timed out after 60 seconds'};
		case EXIT.scriptException: return {msg: scriptExceptionText(script), fields: {hint: 'script exception'}};
		case EXIT.scriptAborted: return {msg: `test aborted: fake-k6 was asked to abort at default (file://${path.resolve(script)}:9:12(7))`};
		case EXIT.markedAsFailed: return {msg: 'test run was marked as failed'};
		default: return {msg: `fake-k6: exiting with FAKE_K6_EXIT_CODE=${code}`};
	}
}

function chooseExecutor(flags, env, script, logger) {
	const fromScript = scriptOptions(script);
	const pick = (flag, envKey, scriptValue, parse) => {
		if (flag !== undefined) return flag;
		if (env[envKey] !== undefined && env[envKey] !== '') return parse(env[envKey]);
		return scriptValue;
	};
	const vus = pick(flags.vus, 'K6_VUS', fromScript.vus, Number);
	const durationNs = pick(flags.duration, 'K6_DURATION', fromScript.durationNs, (v) => parseRunArgs(['-d', v]).flags.duration);
	const iterations = pick(flags.iterations, 'K6_ITERATIONS', fromScript.iterations, Number);
	if (iterations !== undefined) {
		return {
			type: 'shared-iterations', vus: vus ?? 1, iterations, maxDurationNs: durationNs ?? DEFAULT_MAX_DURATION_NS,
			gracefulStopNs: GRACEFUL_STOP_NS,
		};
	}
	if (durationNs !== undefined) {
		return {type: 'constant-vus', vus: vus ?? 1, durationNs, gracefulStopNs: GRACEFUL_STOP_NS};
	}
	if (vus !== undefined && vus !== 1) {
		logger.warn(`\`vus=${vus}\` option will be ignored, it only works in conjunction with \`iterations\`, \`duration\`, or \`stages\``);
	}
	return {type: 'per-vu-iterations', vus: 1, iterations: 1, maxDurationNs: DEFAULT_MAX_DURATION_NS, gracefulStopNs: GRACEFUL_STOP_NS};
}

async function runCommand(args, flavor, env, logger) {
	let parsed;
	try {
		parsed = parseRunArgs(args);
	} catch (error) {
		if (error instanceof UsageError) {
			logger.error(error.message);
			return EXIT.generic;
		}
		throw error;
	}
	const {flags, positional} = parsed;
	if (positional.length !== 1) {
		logger.error(`accepts 1 arg(s), received ${positional.length}`);
		return EXIT.generic;
	}
	const [scriptArg] = positional;
	let source;
	try {
		source = fs.readFileSync(path.resolve(scriptArg), 'utf8');
	} catch {
		logger.error(`The moduleSpecifier "${scriptArg}" couldn't be found on local disk. Make sure that you've specified the right path to the file. If you're running k6 using the Docker image make sure you have mounted the local directory (-v /local/path/:/inside/docker/path) containing your script and modules so that they're accessible by k6 from inside of the container, see https://grafana.com/docs/k6/latest/using-k6/modules/#use-modules-with-docker.`);
		return EXIT.generic;
	}

	let runTags;
	let executor;
	try {
		runTags = parsePairs(flags.tag, 'tag');
		parsePairs(flags.env, 'environment variable');
		executor = chooseExecutor(flags, env, source, logger);
	} catch (error) {
		logger.error(error.message);
		return EXIT.invalidConfig;
	}
	const quiet = Boolean(flags.quiet);
	if (!quiet) stdout(banner(flavor.legacyBanner));

	// Outputs: validated the way k6's createOutputs does, before anything runs.
	const outputNames = flags.out.length > 0 ? flags.out : (env.K6_OUT ? env.K6_OUT.split(',') : []);
	const outputs = [];
	for (const full of outputNames) {
		const [name] = full.split('=');
		const problem = outputError(flavor, name);
		if (problem) {
			logger.error(problem);
			return EXIT.generic;
		}
		try {
			if (name === flavor.statsdOutput) {
				if (flavor.name === 'legacy') {
					logger.warn('The statsd output is deprecated, and will be removed in k6 v0.55.0 '
						+ 'Please use the new xk6 statsd output extension instead. '
						+ 'It can be found at https://github.com/LeonAdato/xk6-output-statsd and '
						+ 'more info at https://github.com/grafana/k6/issues/2982.');
				}
				outputs.push(new StatsdOutput({config: statsdConfigFromEnv(env), client: flavor.statsdClient ?? 'v4', env}));
			} else if (name === 'experimental-prometheus-rw') {
				outputs.push(new RemoteWriteOutput({config: remoteWriteConfigFromEnv(env), logger}));
			} else {
				logger.error(`fake-k6 does not implement the '${name}' output (only ${flavor.statsdOutput ?? 'no StatsD output'} and experimental-prometheus-rw)`);
				return EXIT.generic;
			}
		} catch (error) {
			if (error instanceof OutputConfigError || error instanceof RemoteWriteConfigError || error instanceof Error) {
				logger.error(`could not create the '${name}' output: ${error.message}`);
				return EXIT.generic;
			}
			throw error;
		}
	}

	for (const output of outputs) {
		try {
			await output.start();
		} catch (error) {
			logger.error(`could not start the '${output.description()}' output: ${error.message}`);
			return EXIT.generic;
		}
	}
	const target = await startTarget();
	if (env.FAKE_K6_VERBOSE) logger.info(`fake-k6 target listening on ${target.url}`);

	if (!quiet) {
		stdout(executionDescription({
			script: scriptArg, outputs: outputs.map((o) => o.description()), executor, scenario: 'default',
		}));
	}

	const summary = new SummaryCollector();
	const run = new Run({
		executor, targetUrl: target.url, runTags,
		sleepMs: env.FAKE_K6_ITERATION_SLEEP_MS ? Number(env.FAKE_K6_ITERATION_SLEEP_MS) : 100,
		emit: (samples) => {
			summary.addSamples(samples);
			for (const output of outputs) output.addSamples(samples);
		},
	});

	const maxDurationNs = maxDurationOf(executor);
	const render = () => {
		const status = run.state === 'interrupted' ? STATUS.interrupted
			: run.state === 'done' ? STATUS.done
				: run.state === 'stopping' ? STATUS.stopping : STATUS.running;
		const {progress, right} = executorProgress(executor, {elapsedNs: run.elapsedNs, doneIterations: run.complete + run.interrupted});
		return progressBlock({
			run: {
				elapsedNs: run.elapsedNs, maxDurationNs, activeVUs: run.activeVUs, maxVUs: run.maxVUs,
				complete: run.complete, interrupted: run.interrupted,
			},
			scenario: {name: 'default', status, progress, right},
		});
	};
	const progressTimer = quiet ? undefined : setInterval(() => stdout(render()), 1000);

	// Signals, as k6's handleTestAbortSignals: the first SIGINT/SIGTERM stops the test gracefully and
	// k6 exits 105 after the summary; a second one exits 105 at once.
	let abortSignal = null;
	let hangForever = false;
	const onSignal = (signal) => {
		const sigName = signal === 'SIGTERM' ? 'terminated' : 'interrupt';
		if (env.FAKE_K6_IGNORE_SIGINT === '1') {
			hangForever = true;
			return;
		}
		if (abortSignal === null) {
			abortSignal = sigName;
			run.stop();
			return;
		}
		logger.error('Aborting k6 in response to signal', {sig: sigName});
		process.exit(EXIT.externalAbort);
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);

	let crashed = false;
	const crashAfter = env.FAKE_K6_CRASH_AFTER ? Number(env.FAKE_K6_CRASH_AFTER) : undefined;
	const crashTimer = crashAfter === undefined ? undefined : setTimeout(() => {
		crashed = true;
		run.stop();
	}, crashAfter * 1000);

	await run.run();
	if (abortSignal !== null && env.FAKE_K6_STOP_DELAY) {
		// A slow graceful stop (a long teardown(), a slow output flush): time for a second signal.
		await new Promise((resolve) => setTimeout(resolve, Number(env.FAKE_K6_STOP_DELAY) * 1000));
	}
	clearTimeout(crashTimer);
	if (progressTimer) clearInterval(progressTimer);
	for (const output of outputs) await output.stop();
	await target.close();

	if (crashed) {
		logger.error(scriptExceptionText(scriptArg), {hint: 'script exception'});
		return EXIT.scriptException;
	}

	if (!flags['no-summary']) stdout(summaryText(summary, run.elapsedNs / 1e9, flavor.legacyBanner));
	if (!quiet) stdout(render());

	let code = EXIT.ok;
	if (abortSignal !== null) {
		logger.error(`test run was aborted because k6 received a '${abortSignal}' signal`);
		code = EXIT.externalAbort;
	} else if (env.FAKE_K6_EXIT_CODE && Number(env.FAKE_K6_EXIT_CODE) !== 0) {
		code = Number(env.FAKE_K6_EXIT_CODE);
		const {msg, fields} = exitMessage(code, scriptArg);
		logger.error(msg, fields);
	}
	if (hangForever) {
		// FAKE_K6_IGNORE_SIGINT=1: a k6 that does not stop when asked; only SIGKILL ends it.
		setInterval(() => {}, 60_000);
		await new Promise(() => {});
	}
	return code;
}

function rootUsage() {
	return `k6 is a modern load testing tool, using goja to run JavaScript tests (fake-k6 stand-in).

Usage:
  k6 [command]

Available Commands:
  help        Help about any command
  run         Start a test
  version     Show application version

Flags:
  -h, --help      help for k6
      --version   version for k6

Use "k6 [command] --help" for more information about a command.
`;
}

export async function main(argv, env = process.env) {
	const logger = new Logger(process.stderr);
	let flavor;
	try {
		flavor = flavorFromEnv(env);
	} catch (error) {
		process.stderr.write(`fake-k6: ${error.message}\n`);
		return 2;
	}
	const [command, ...rest] = argv;
	if (command === undefined || command === 'help' || command === '-h' || command === '--help') {
		stdout(rootUsage());
		return EXIT.ok;
	}
	if (command === '--version') {
		stdout(versionText(flavor));
		return EXIT.ok;
	}
	if (command === 'version') {
		const unknown = rest.find((a) => a !== '--json');
		if (unknown) {
			logger.error(unknown.startsWith('-') ? `unknown flag: ${unknown}` : `unknown command "${unknown}" for "k6 version"`);
			return EXIT.generic;
		}
		if (rest.includes('--json')) {
			if (!flavor.hasVersionJson) {
				logger.error('unknown flag: --json');
				return EXIT.generic;
			}
			stdout(versionJson(flavor));
			return EXIT.ok;
		}
		stdout(versionText(flavor));
		return EXIT.ok;
	}
	if (command === 'run') {
		if (rest.includes('-h') || rest.includes('--help')) {
			stdout(runUsage());
			return EXIT.ok;
		}
		return runCommand(rest, flavor, env, logger);
	}
	logger.error(`unknown command "${command}" for "k6"`);
	return EXIT.generic;
}

const invokedDirectly = process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(new URL(import.meta.url).pathname);
if (invokedDirectly) {
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(error) => {
			process.stderr.write(`fake-k6 crashed: ${error instanceof Error ? error.stack : String(error)}\n`);
			process.exit(EXIT.generic);
		},
	);
}
