// The stack `kmon demo` shows: the bundled compose stack with the demo broker and its load when a Docker engine
// answers, else the same components as local processes (test/stack/, in a checkout of kmon), whose workload
// builds the same lag. Both print their progress and never throw.
import {existsSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {connectDocker} from '../stack/docker-client.js';
import {describeProblem} from '../stack/problem.js';
import {runProcess} from '../stack/run-process.js';
import {extraFilesFromEnv} from '../stack/stack-files.js';
import {startStack} from '../stack/start-stack.js';

export type DemoRoute = 'docker' | 'local';

export type DemoStack = {route: DemoRoute; prometheusUrl: string; stop(): Promise<boolean>};

export type DemoOutcome = {ok: true; value: DemoStack} | {ok: false; lines: string[]};

/** The checkout's local test stack: dist/demo/ and source/demo/ sit two levels under the package root. */
const localStack = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'test', 'stack');

/** How long the compose services may take to get healthy: the demo broker's first start formats its storage. */
const dockerTimeoutMs = 300_000;

export async function startDemoStack(route: DemoRoute | undefined, say: (line: string) => void): Promise<DemoOutcome> {
	const docker = route === 'local' ? undefined : await connectDocker();
	if (docker?.ok) {
		return startWithDocker(say);
	}

	if (route === 'docker') {
		return {ok: false, lines: docker ? describeProblem(docker.problem) : []};
	}

	if (!existsSync(path.join(localStack, 'up.sh'))) {
		return {ok: false, lines: [
			'kmon demo: no Docker engine answers, and the demo\'s local processes (test/stack/) come only with a checkout of kmon',
			...(docker && !docker.ok ? describeProblem(docker.problem).map(line => `  ${line}`) : []),
			'  → start Docker and run kmon demo again, or clone the kmon repository and run npm run demo there',
		]};
	}

	say(`kmon demo: no Docker engine answers (${docker && !docker.ok ? docker.problem.message : 'not asked'}), so the stack runs as local processes (test/stack/)`);
	return startLocally(say);
}

async function startWithDocker(say: (line: string) => void): Promise<DemoOutcome> {
	say('kmon demo: starting the monitoring stack, a demo Kafka broker and its load with Docker (kmon up --with-kafka, profile demo)');
	const started = await startStack({withKafka: true, demo: true, extraFiles: extraFilesFromEnv(), timeoutMs: dockerTimeoutMs}, line => {
		say(`  ${line}`);
	});
	if (!started.ok) {
		return {ok: false, lines: describeProblem(started.problem)};
	}

	return {ok: true, value: {
		route: 'docker',
		prometheusUrl: started.value.prometheusUrl,
		async stop() {
			const {runCommand} = await import('../stack/command-down.js');
			return await runCommand([]) === 0;
		},
	}};
}

async function startLocally(say: (line: string) => void): Promise<DemoOutcome> {
	const steps: Array<[script: string, what: string]> = [
		['install.sh', 'installing what the stack runs (apt, Maven Central, Go modules; about two minutes the first time, cached after)'],
		['up.sh', 'starting Prometheus, Kafka, the exporters and the workload'],
	];
	for (const [script, what] of steps) {
		say(`kmon demo: ${what}`);
		const result = await runLocal(script, say);
		if (!result) {
			return {ok: false, lines: [`kmon demo: test/stack/${script} failed (its output is above)`,
				'  → fix what it names and run kmon demo again; npm run stack:down stops anything it left running']};
		}
	}

	return {ok: true, value: {route: 'local', prometheusUrl: 'http://127.0.0.1:9090', stop: async () => runLocal('down.sh', say)}};
}

async function runLocal(script: string, say: (line: string) => void): Promise<boolean> {
	const result = await runProcess(['bash', path.join(localStack, script)], {
		onLine(line) {
			say(`  ${line}`);
		},
	});
	return result.exitCode === 0;
}
