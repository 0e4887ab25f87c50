import path from 'node:path';
import process from 'node:process';
import {createInterface} from 'node:readline/promises';
import {fileURLToPath} from 'node:url';
import meow from 'meow';
import {configFileCandidates, readConfigFile} from '../config/config-file.js';
import {type Config, resolveConfig} from '../config/config.js';
import {findK6Binary} from '../k6/find-k6-binary.js';
import {type DemoRoute, type DemoStack, startDemoStack} from './demo-stack.js';

const help = `
	Usage
	  $ kmon demo [--docker | --local]

	Shows kmon on a live system in one command: starts the bundled monitoring stack with a demo Kafka broker, a
	producer and two consumer groups that build lag (kmon-lagging, kmon-stopped), and opens the monitor on it.
	With a Docker engine it runs the compose stack (kmon up --with-kafka, plus the demo's load); without one, the
	same components run as local processes from a checkout's test/stack/ (about two minutes to install the first
	time). When you quit, it asks whether to leave the stack running or stop it.

	Options
	  --docker   use Docker, fail if no engine answers
	  --local    use the local processes even when Docker answers

	k6: with a k6 on PATH (or K6_BIN) that has a StatsD output, r in the monitor runs stack/k6/example.js.
`;

const exampleScript = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'stack', 'k6', 'example.js');

/** How the root opens the monitor (source/monitor.ts), handed in so the demo stays below the roots. */
export type OpenMonitor = (config: Config) => Promise<number>;

export async function runCommand(argv: string[], openMonitor: OpenMonitor): Promise<number> {
	const cli = meow(help, {
		importMeta: import.meta,
		argv,
		allowUnknownFlags: false,
		flags: {docker: {type: 'boolean'}, local: {type: 'boolean'}},
	});
	if (cli.input.length > 0 || (cli.flags.docker && cli.flags.local)) {
		process.stderr.write(`kmon demo: ${cli.input.length > 0 ? `unexpected argument "${cli.input[0]}"` : '--docker and --local exclude each other'} (see kmon demo --help)\n`);
		return 2;
	}

	// Checked before anything starts: nothing should be left running for a monitor that cannot open.
	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		process.stderr.write('kmon demo: the demo opens the monitor, which needs a terminal\n');
		return 2;
	}

	const route: DemoRoute | undefined = cli.flags.docker ? 'docker' : (cli.flags.local ? 'local' : undefined);
	const say = (line: string) => process.stderr.write(`${line}\n`);
	const started = await startDemoStack(route, say);
	if (!started.ok) {
		say(started.lines.join('\n'));
		return 1;
	}

	const stack = started.value;
	const k6 = findK6Binary({env: process.env, cwd: process.cwd()});
	if (k6.ok) {
		say(`kmon demo: r in the monitor runs ${exampleScript} with ${k6.value.path}`);
	} else {
		say('kmon demo: no k6 found, so the k6 tab stays empty. To see k6 results per tag, install a k6 with a StatsD output:');
		say('  xk6 build --with github.com/LeonAdato/xk6-output-statsd   (then put ./k6 on PATH, or set K6_BIN)');
		say('  a stock k6 works too: kmon run sends its results by Prometheus remote write');
	}

	const config = resolveConfig({
		flags: {prometheus: stack.prometheusUrl, ...(k6.ok ? {k6Script: exampleScript} : {})},
		env: process.env,
		file: readConfigFile(configFileCandidates(process.cwd(), process.env)),
	});
	const code = await openMonitor(config);
	return await leaveOrStop(stack) ? code : 1;
}

/** After the monitor: the user says whether the stack goes on; stopping is the default, so nothing is forgotten. */
async function leaveOrStop(stack: DemoStack): Promise<boolean> {
	const stopCommand = stack.route === 'docker' ? 'kmon down' : 'npm run stack:down';
	// Ink unrefs stdin when it lets go of the terminal: without this the process would end while the question waits.
	process.stdin.ref();
	const prompt = createInterface({input: process.stdin, output: process.stderr});
	const answer = await prompt.question(`The demo stack is still running (Prometheus ${stack.prometheusUrl}). Leave it running? [y/N] `)
		.catch(() => '');
	prompt.close();
	if (/^y(es)?$/i.test(answer.trim())) {
		process.stderr.write(`kmon demo: left running; watch it with kmon --prometheus ${stack.prometheusUrl}, stop it with ${stopCommand}\n`);
		return true;
	}

	process.stderr.write('kmon demo: stopping the stack\n');
	const stopped = await stack.stop();
	if (!stopped) {
		process.stderr.write(`kmon demo: the stack did not stop cleanly; run ${stopCommand}\n`);
	}

	return stopped;
}
