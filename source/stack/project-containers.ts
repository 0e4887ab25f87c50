// What Docker knows about a container, in kmon's terms. Containers of the stack are found by the compose
// project label (com.docker.compose.project=kmon), never by name: names can be changed in compose.yml or
// .env, labels cannot.
import type Docker from 'dockerode';
import type {ContainerInspectInfo} from 'dockerode';
import {withTimeout} from './docker-client.js';

export const composeLabels = {
	project: 'com.docker.compose.project',
	service: 'com.docker.compose.service',
	oneOff: 'com.docker.compose.oneoff',
} as const;

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead' | 'unknown';

/** `none`: the image or compose file defines no health check. */
export type ContainerHealth = 'healthy' | 'unhealthy' | 'starting' | 'none';

export type PublishedPort = {hostIp: string; hostPort: number; containerPort: number; protocol: string};

export type StackContainer = {
	/** Full 64-hex container id. */
	id: string;
	name: string;
	project: string | null;
	service: string | null;
	image: string;
	state: ContainerState;
	health: ContainerHealth;
	/** The last health check's output, trimmed, when it failed. */
	healthOutput: string | null;
	restartCount: number;
	/** ISO-8601 start of the current run; null when not running. */
	startedAt: string | null;
	exitCode: number | null;
	ports: PublishedPort[];
	/** `docker compose run` containers, not services of the stack. */
	oneOff: boolean;
};

const states = new Set<ContainerState>(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);

/** Maps `docker inspect` output to a StackContainer. Pure. */
export function fromInspect(info: ContainerInspectInfo): StackContainer {
	const labels = info.Config?.Labels ?? {};
	const rawState = String(info.State?.Status ?? 'unknown') as ContainerState;
	const state = states.has(rawState) ? rawState : 'unknown';
	const health = healthOf(info.State?.Health?.Status);
	const lastCheck = info.State?.Health?.Log?.at(-1);
	const running = state === 'running' || state === 'restarting' || state === 'paused';
	return {
		id: info.Id,
		name: info.Name.replace(/^\//, ''),
		project: labels[composeLabels.project] ?? null,
		service: labels[composeLabels.service] ?? null,
		image: info.Config?.Image ?? info.Image,
		state,
		health,
		healthOutput: health !== 'healthy' && lastCheck && lastCheck.ExitCode !== 0 ? lastCheck.Output.trim().slice(-300) || null : null,
		restartCount: info.RestartCount ?? 0,
		startedAt: running && validTime(info.State?.StartedAt) ? info.State.StartedAt : null,
		exitCode: state === 'exited' || state === 'dead' ? info.State?.ExitCode ?? null : null,
		ports: running ? publishedPorts(info.NetworkSettings?.Ports ?? {}) : [],
		oneOff: (labels[composeLabels.oneOff] ?? '').toLowerCase() === 'true',
	};
}

export function healthOf(status: unknown): ContainerHealth {
	return status === 'healthy' || status === 'unhealthy' || status === 'starting' ? status : 'none';
}

/** `docker ps` status text → health: "Up 5 minutes (healthy)", "Up 3 seconds (health: starting)". Pure. */
export function healthFromStatus(status: string): ContainerHealth {
	if (status.includes('(healthy)')) {
		return 'healthy';
	}

	if (status.includes('(unhealthy)')) {
		return 'unhealthy';
	}

	return status.includes('(health: starting)') ? 'starting' : 'none';
}

/**
 * Published ports from inspect's NetworkSettings.Ports ({"9090/tcp": [{HostIp, HostPort}]}), one entry per
 * host port: the IPv6 twin of an IPv4 binding ("::" beside "0.0.0.0") is dropped. Pure.
 */
export function publishedPorts(ports: Record<string, Array<{HostIp: string; HostPort: string}> | null | undefined>): PublishedPort[] {
	const result: PublishedPort[] = [];
	for (const [key, bindings] of Object.entries(ports)) {
		const [port, protocol = 'tcp'] = key.split('/');
		for (const binding of bindings ?? []) {
			const hostPort = Number(binding.HostPort);
			if (!Number.isInteger(hostPort) || hostPort <= 0) {
				continue;
			}

			const entry = {hostIp: binding.HostIp || '0.0.0.0', hostPort, containerPort: Number(port), protocol};
			const twin = result.find(other => other.hostPort === hostPort && other.protocol === protocol && other.containerPort === entry.containerPort);
			if (!twin) {
				result.push(entry);
			} else if (twin.hostIp.includes(':') && !entry.hostIp.includes(':')) {
				twin.hostIp = entry.hostIp;
			}
		}
	}

	return result.sort((a, b) => a.containerPort - b.containerPort || a.protocol.localeCompare(b.protocol));
}

/** "127.0.0.1:9090→9090/tcp", "*:8125→9125/udp". Pure. */
export function formatPort(port: PublishedPort): string {
	const host = port.hostIp === '0.0.0.0' || port.hostIp === '::' ? '*' : port.hostIp.includes(':') ? `[${port.hostIp}]` : port.hostIp;
	return `${host}:${port.hostPort}→${port.containerPort}/${port.protocol}`;
}

/** Seconds since the container started, null when it is not running. Pure. */
export function uptimeSeconds(container: Pick<StackContainer, 'startedAt'>, now: number): number | null {
	if (!container.startedAt) {
		return null;
	}

	const started = Date.parse(container.startedAt);
	return Number.isFinite(started) ? Math.max(0, (now - started) / 1000) : null;
}

/** Every container of a compose project (running or not), by label, inspected, sorted by service. */
export async function listProjectContainers(docker: Docker, project: string, timeoutMs = 5000): Promise<StackContainer[]> {
	const listed = await withTimeout(docker.listContainers({all: true, filters: {label: [`${composeLabels.project}=${project}`]}}), timeoutMs);
	const inspected = await Promise.all(listed.map(async entry => {
		try {
			return await withTimeout(docker.getContainer(entry.Id).inspect(), timeoutMs);
		} catch (error) {
			// Removed between list and inspect.
			if ((error as {statusCode?: number}).statusCode === 404) {
				return undefined;
			}

			throw error;
		}
	}));
	return inspected
		.filter((info): info is ContainerInspectInfo => info !== undefined)
		.map(info => fromInspect(info))
		.filter(container => !container.oneOff)
		.sort((a, b) => (a.service ?? a.name).localeCompare(b.service ?? b.name));
}

/** The last lines a container logged (stdout and stderr), for error messages. */
export async function logTail(docker: Docker, id: string, lines = 10, timeoutMs = 5000): Promise<string[]> {
	try {
		const container = docker.getContainer(id);
		const [info, raw] = await Promise.all([
			withTimeout(container.inspect(), timeoutMs),
			withTimeout(container.logs({stdout: true, stderr: true, tail: lines, follow: false}), timeoutMs),
		]);
		const buffer = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw));
		const text = info.Config?.Tty ? buffer.toString('utf8') : demuxDockerStream(buffer);
		return text.split('\n').map(line => line.trimEnd()).filter(Boolean).slice(-lines);
	} catch {
		return [];
	}
}

/**
 * Docker's multiplexed log format (containers without a TTY): frames of an 8-byte header (stream type,
 * three zero bytes, big-endian payload length) and the payload. Returns the payloads joined. Pure.
 */
export function demuxDockerStream(buffer: Buffer): string {
	const parts: string[] = [];
	let offset = 0;
	while (offset + 8 <= buffer.length) {
		const type = buffer[offset];
		const size = buffer.readUInt32BE(offset + 4);
		if ((type !== 0 && type !== 1 && type !== 2) || buffer[offset + 1] !== 0 || offset + 8 + size > buffer.length) {
			// Not a multiplexed stream after all: take the rest as it is.
			parts.push(buffer.subarray(offset).toString('utf8'));
			return parts.join('');
		}

		parts.push(buffer.subarray(offset + 8, offset + 8 + size).toString('utf8'));
		offset += 8 + size;
	}

	if (offset < buffer.length) {
		parts.push(buffer.subarray(offset).toString('utf8'));
	}

	return parts.join('');
}

function validTime(value: unknown): value is string {
	return typeof value === 'string' && !value.startsWith('0001-') && Number.isFinite(Date.parse(value));
}
