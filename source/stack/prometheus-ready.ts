// Prometheus of the stack: its URL from the container's published port, and its readiness (/-/ready).
import type {DockerEndpoint} from './docker-endpoint.js';
import {problem, type StackOutcome} from './problem.js';
import type {StackContainer} from './project-containers.js';

export const prometheusService = 'prometheus';

/**
 * The URL users and kmon reach the stack's Prometheus at: the host port published for container port 9090,
 * on localhost for a local engine (or the address it is bound to), on the engine's host for a remote one.
 * Null when Prometheus is not running or publishes no port. Pure.
 */
export function prometheusUrlOf(containers: StackContainer[], endpoint: DockerEndpoint): string | null {
	const container = containers.find(candidate => candidate.service === prometheusService && candidate.state === 'running');
	const port = container?.ports.find(candidate => candidate.containerPort === 9090 && candidate.protocol === 'tcp');
	if (!port) {
		return null;
	}

	const wildcard = port.hostIp === '0.0.0.0' || port.hostIp === '::';
	let host = wildcard || port.hostIp === '127.0.0.1' ? 'localhost' : port.hostIp;
	if (endpoint.kind !== 'unix' && (wildcard || port.hostIp === '127.0.0.1')) {
		host = endpoint.host;
	}

	return `http://${host.includes(':') ? `[${host}]` : host}:${port.hostPort}`;
}

/** Polls `<url>/-/ready` until it answers 200 or the time is up. */
export async function waitForPrometheusReady(url: string, timeoutMs: number, pollMs = 500): Promise<StackOutcome<void>> {
	const deadline = Date.now() + timeoutMs;
	let last = 'no answer';
	for (;;) {
		try {
			const response = await fetch(`${url}/-/ready`, {signal: AbortSignal.timeout(Math.min(3000, timeoutMs))});
			if (response.status === 200) {
				return {ok: true, value: undefined};
			}

			// The body says why (e.g. "Service Unavailable" while replaying the WAL).
			last = `HTTP ${response.status}: ${(await response.text()).trim().slice(0, 120)}`;
		} catch (error) {
			last = (error as {cause?: {code?: string}}).cause?.code ?? (error as Error).message;
		}

		if (Date.now() >= deadline) {
			return {ok: false, problem: problem('prometheus-not-ready', `Prometheus at ${url} is not ready (${last})`,
				'see docker logs kmon-prometheus; a large data volume takes a while to load after a restart')};
		}

		await new Promise(resolve => {
			setTimeout(resolve, pollMs);
		});
	}
}
