// `kmon up` as a function, for the CLI and for the UI's "start the stack" key: compose up, then wait for
// healthy services and a ready Prometheus, reporting progress line by line. Never throws.
import {formatDuration} from '../config/duration.js';
import type {StackOutcome} from './problem.js';
import {isInProgressLine, prepareStack, runCompose, type StackContext, type StackRequest} from './prepare.js';
import {problem} from './problem.js';
import type {StackContainer} from './project-containers.js';
import {prometheusUrlOf, waitForPrometheusReady} from './prometheus-ready.js';
import {stackProject} from './stack-files.js';
import {waitForStack} from './wait-for-stack.js';

export type StartRequest = StackRequest & {
	/** For everything after compose up: healthy services and a ready Prometheus. */
	timeoutMs: number;
};

export type StartedStack = {prometheusUrl: string; containers: StackContainer[]; context: StackContext};

/** Progress lines: "kmon up: Docker 28.1, docker compose 2.40.3, …", "│ Container kmon-kafka  Started", "prometheus: running, healthy (12s)". */
export async function startStack(request: StartRequest, onProgress: (line: string) => void = () => undefined): Promise<StackOutcome<StartedStack>> {
	const started = Date.now();
	const prepared = await prepareStack(request, true);
	if (!prepared.ok) {
		return prepared;
	}

	const context = prepared.value;
	const compose = context.compose!;
	onProgress(`Docker ${context.connection.version}, ${compose.cli.argv.join(' ')} ${compose.cli.version.text}, stack ${context.files.directory}`
		+ (context.files.envFile ? `, settings ${context.files.envFile}` : ''));

	const services = await runCompose(context, ['config', '--services'], 'reading the compose file');
	if (!services.ok) {
		return services;
	}

	const serviceNames = services.value.map(line => line.trim()).filter(line => /^[\w.-]+$/.test(line));
	onProgress(`starting ${serviceNames.join(', ')}`);
	const up = await runCompose(context, ['up', '--detach'], 'compose up', line => {
		if (line.trim() && !isInProgressLine(line)) {
			onProgress(`│ ${line.trim()}`);
		}
	});
	if (!up.ok) {
		return {ok: false, problem: {...up.problem, fix: `${up.problem.fix}\nServices that did start keep running; kmon down stops them.`}};
	}

	onProgress('waiting for the services to be healthy');
	const remaining = () => Math.max(0, request.timeoutMs - (Date.now() - started));
	const ready = await waitForStack(context.connection.docker, stackProject, {timeoutMs: remaining(), services: serviceNames, onProgress});
	if (!ready.ok) {
		return ready;
	}

	const url = prometheusUrlOf(ready.value, context.connection.endpoint);
	if (url === null) {
		return {ok: false, problem: problem('prometheus-not-ready', 'the stack is up, but Prometheus publishes no host port, so kmon cannot reach it from here',
			'check the ports of the prometheus service (KMON_PROMETHEUS_PORT) in your compose override or env file')};
	}

	const prometheus = await waitForPrometheusReady(url, Math.max(10_000, remaining()));
	if (!prometheus.ok) {
		return prometheus;
	}

	onProgress(`Prometheus ready (${formatDuration(Date.now() - started)} in all)`);
	return {ok: true, value: {prometheusUrl: url, containers: ready.value, context}};
}
