// After `compose up -d`: polls the project's containers until every one runs and, where it has a health
// check, is healthy. Reports each change as it happens, fails when a container stays exited, and on time-out
// names what is not ready with its last health check output and log lines.
import type Docker from 'dockerode';
import {formatDuration} from '../config/duration.js';
import {problem, type StackOutcome} from './problem.js';
import {listProjectContainers, logTail, type StackContainer} from './project-containers.js';

export type Readiness = 'ready' | 'waiting' | 'failed';

/**
 * Pure: running and healthy (or without a health check) is ready. Exited or dead counts as failed only once
 * seen in `exitedPolls` polls in a row: with the stack's restart policy a crashing exporter (kafka_exporter
 * exits while the broker is still starting) comes back by itself, and restart loops simply run into the time limit.
 */
export function readinessOf(container: StackContainer, exitedPolls = 1, failAfterPolls = 3): Readiness {
	if (container.state === 'exited' || container.state === 'dead') {
		return exitedPolls >= failAfterPolls ? 'failed' : 'waiting';
	}

	if (container.state !== 'running') {
		return 'waiting';
	}

	return container.health === 'healthy' || container.health === 'none' ? 'ready' : 'waiting';
}

/** "running, healthy", "restarting", "exited (1)": the words progress lines use. Pure. */
export function describeState(container: StackContainer, withRestarts = false): string {
	if (container.state === 'exited' || container.state === 'dead') {
		return `${container.state}${container.exitCode === null ? '' : ` (${container.exitCode})`}`;
	}

	const restarts = withRestarts && container.restartCount > 0 ? `, ${container.restartCount} restart${container.restartCount === 1 ? '' : 's'}` : '';
	if (container.state === 'running' && container.health !== 'none') {
		return `${container.health === 'starting' ? 'running, health check pending' : `running, ${container.health}`}${restarts}`;
	}

	return `${container.state}${restarts}`;
}

export type WaitOptions = {
	timeoutMs: number;
	/** Only these compose services (the ones `up` started); others of the project, e.g. a stopped demo broker, are ignored. */
	services?: string[];
	pollMs?: number;
	/** Called with one line per change, e.g. "prometheus: running, healthy (12s)". */
	onProgress?: (line: string) => void;
	now?: () => number;
};

export async function waitForStack(docker: Docker, project: string, options: WaitOptions): Promise<StackOutcome<StackContainer[]>> {
	const now = options.now ?? Date.now;
	const started = now();
	const pollMs = options.pollMs ?? 1000;
	const seen = new Map<string, string>();
	const exitedPolls = new Map<string, number>();
	let containers: StackContainer[] = [];
	for (;;) {
		try {
			containers = (await listProjectContainers(docker, project))
				.filter(container => !options.services || options.services.includes(container.service ?? ''));
		} catch {
			// One failed poll is not fatal; the time limit still applies.
		}

		for (const container of containers) {
			const exited = container.state === 'exited' || container.state === 'dead';
			exitedPolls.set(container.id, exited ? (exitedPolls.get(container.id) ?? 0) + 1 : 0);

			const text = describeState(container, true);
			if (seen.get(container.id) !== text) {
				seen.set(container.id, text);
				options.onProgress?.(`${label(container)}: ${text} (${formatDuration(now() - started)})`);
			}
		}

		const readiness = containers.map(container => readinessOf(container, exitedPolls.get(container.id)));
		const failed = containers.filter((_container, index) => readiness[index] === 'failed');
		if (failed.length > 0) {
			return {ok: false, problem: await notReady(docker, failed, 'stopped', 'the container log above says why')};
		}

		if (containers.length > 0 && readiness.every(state => state === 'ready')) {
			return {ok: true, value: containers};
		}

		if (now() - started >= options.timeoutMs) {
			const waiting = containers.filter((_container, index) => readiness[index] !== 'ready');
			if (containers.length === 0) {
				return {ok: false, problem: problem('stack-unhealthy', `compose reported success but no container of project ${project} exists`,
					'run docker ps -a to see what happened')};
			}

			return {ok: false, problem: await notReady(docker, waiting, `not ready after ${formatDuration(options.timeoutMs)}`,
				'look at the evidence above; a slow machine may need more time: kmon up --timeout 5m')};
		}

		await new Promise(resolve => {
			setTimeout(resolve, pollMs);
		});
	}
}

async function notReady(docker: Docker, containers: StackContainer[], what: string, fix: string) {
	const details: string[] = [];
	for (const container of containers) {
		details.push(`${label(container)} (${container.name}): ${describeState(container, true)}`);
		if (container.healthOutput) {
			details.push(`  last health check: ${container.healthOutput.replaceAll(/\s+/g, ' ')}`);
		}

		for (const line of await logTail(docker, container.id, 8)) {
			details.push(`  log: ${line}`);
		}
	}

	const names = containers.map(container => label(container)).join(', ');
	return problem('stack-unhealthy', `${names} ${what}`, fix, details);
}

function label(container: StackContainer): string {
	return container.service ?? container.name;
}
