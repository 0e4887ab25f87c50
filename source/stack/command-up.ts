import process from 'node:process';
import meow from 'meow';
import {parseDuration} from '../config/duration.js';
import {exitCodeFor} from './prepare.js';
import {describeProblem, type StackProblem} from './problem.js';
import {extraFilesFromEnv, stackProject} from './stack-files.js';
import {startStack} from './start-stack.js';

const defaultTimeout = '4m';

const help = `
	Usage
	  $ kmon up [--with-kafka] [options]

	Starts the bundled monitoring stack (Prometheus, kafka_exporter, JMX exporter, cAdvisor, statsd_exporter)
	as Docker Compose project "${stackProject}", waits until every service is healthy and Prometheus is ready,
	then prints Prometheus's URL. Running it again is harmless.

	Options
	  --with-kafka        also start a single-node demo Kafka broker (compose profile "kafka")
	  --env-file FILE     the stack's settings (Kafka address, ports; see stack/.env.example)
	                      [default: stack/.env if present, else $XDG_CONFIG_HOME/kmon/stack.env]
	  --file, -f FILE     an extra compose file layered over the bundled one, repeatable
	  --timeout D         how long to wait for healthy services                    [${defaultTimeout}]

	Environment
	  DOCKER_HOST / docker context   which engine (as for the docker CLI)
	  KMON_COMPOSE                   the compose command, e.g. "docker-compose" (default: docker compose, else docker-compose)
	  KMON_STACK_FILES               extra compose files, separated by ":" (as COMPOSE_FILE), before any --file

	Exit codes
	  0 stack up · 1 a service failed or did not get ready · 2 bad usage · 4 Docker or Compose not usable
`;

export async function runCommand(argv: string[]): Promise<number> {
	const cli = meow(help, {
		importMeta: import.meta,
		argv,
		allowUnknownFlags: false,
		flags: {
			withKafka: {type: 'boolean', default: false},
			envFile: {type: 'string'},
			file: {type: 'string', shortFlag: 'f', isMultiple: true},
			timeout: {type: 'string', default: defaultTimeout},
		},
	});
	if (cli.input.length > 0) {
		return usage(`unexpected argument "${cli.input[0]}"`);
	}

	const timeoutMs = parseDuration(cli.flags.timeout);
	if (timeoutMs === undefined || timeoutMs <= 0) {
		return usage('--timeout takes a duration such as 90s or 5m');
	}

	const result = await startStack({
		withKafka: cli.flags.withKafka,
		extraFiles: [...extraFilesFromEnv(), ...cli.flags.file ?? []],
		...(cli.flags.envFile ? {envFile: cli.flags.envFile} : {}),
		timeoutMs,
	}, line => {
		process.stderr.write(line.startsWith('Docker ') ? `kmon up: ${line}\n` : `  ${line}\n`);
	});
	if (!result.ok) {
		return fail(result.problem);
	}

	const url = result.value.prometheusUrl;
	const attach = url === 'http://localhost:9090' ? 'kmon' : `kmon --prometheus ${url}`;
	process.stdout.write(`Prometheus: ${url}\nWatch it with: ${attach}\n`);
	return 0;
}

function fail(found: StackProblem): number {
	process.stderr.write(`${describeProblem(found).join('\n')}\n`);
	return exitCodeFor(found);
}

function usage(message: string): number {
	process.stderr.write(`kmon up: ${message} (see kmon up --help)\n`);
	return 2;
}
