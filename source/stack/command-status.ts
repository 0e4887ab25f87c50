import process from 'node:process';
import meow from 'meow';
import {jsonText} from '../format/escape-controls.js';
import {PrometheusClient} from '../prometheus/client.js';
import {describeEndpoint} from './docker-endpoint.js';
import {classifyDockerError} from './docker-errors.js';
import {describeProblem} from './problem.js';
import {exitCodeFor, prepareStack} from './prepare.js';
import {listProjectContainers, uptimeSeconds} from './project-containers.js';
import {prometheusUrlOf} from './prometheus-ready.js';
import {stackProject} from './stack-files.js';
import {renderStatus, statusOk, type StatusReport} from './status-report.js';

const help = `
	Usage
	  $ kmon status [--json]

	The monitoring stack's containers (compose project "${stackProject}", found by its label): state, health,
	uptime, restarts and published ports; then whether Prometheus is ready and each of its targets is up.

	Options
	  --json    the same as JSON

	Exit codes
	  0 all up · 1 not running, or something is down · 2 bad usage · 4 Docker not reachable
`;

export async function runCommand(argv: string[]): Promise<number> {
	const cli = meow(help, {
		importMeta: import.meta,
		argv,
		allowUnknownFlags: false,
		flags: {json: {type: 'boolean', default: false}},
	});
	if (cli.input.length > 0) {
		process.stderr.write(`kmon status: unexpected argument "${cli.input[0]}" (see kmon status --help)\n`);
		return 2;
	}

	const prepared = await prepareStack({withKafka: false, extraFiles: []}, false);
	if (!prepared.ok) {
		process.stderr.write(`${describeProblem(prepared.problem).join('\n')}\n`);
		return exitCodeFor(prepared.problem);
	}

	const {connection} = prepared.value;
	const now = Date.now();
	let listed;
	try {
		listed = await listProjectContainers(connection.docker, stackProject);
	} catch (error) {
		const found = classifyDockerError(error, connection.endpoint);
		process.stderr.write(`${describeProblem(found).join('\n')}\n`);
		return exitCodeFor(found);
	}

	const containers = listed.map(container => ({...container, uptimeSeconds: uptimeSeconds(container, now)}));
	const url = prometheusUrlOf(containers, connection.endpoint);
	const prometheus: StatusReport['prometheus'] = {url, ready: false, error: null};
	let targets: StatusReport['targets'] = null;
	let targetsError: string | null = null;
	if (url !== null) {
		const ready = await checkReady(url);
		prometheus.ready = ready === null;
		prometheus.error = ready;
		const client = new PrometheusClient({url, credentials: {kind: 'none'}, headers: {}, timeoutMs: 3000});
		const answer = await client.targets();
		client.close();
		if (answer.ok) {
			targets = answer.value;
		} else {
			targetsError = answer.error.message;
		}
	}

	const partial = {
		project: stackProject,
		docker: {version: connection.version, endpoint: describeEndpoint(connection.endpoint)},
		containers,
		prometheus,
		targets,
		targetsError,
	};
	const report: StatusReport = {...partial, ok: statusOk(partial)};
	const width = process.stdout.isTTY ? process.stdout.columns : 160;
	process.stdout.write(cli.flags.json ? `${jsonText(report)}\n` : `${renderStatus(report, width).join('\n')}\n`);
	return report.ok ? 0 : 1;
}

/** Null when ready, else why not. */
async function checkReady(url: string): Promise<string | null> {
	try {
		const response = await fetch(`${url}/-/ready`, {signal: AbortSignal.timeout(3000)});
		return response.status === 200 ? null : `HTTP ${response.status}`;
	} catch (error) {
		return (error as {cause?: {code?: string}}).cause?.code ?? (error as Error).message;
	}
}
