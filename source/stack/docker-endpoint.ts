// Where the Docker engine is, decided the way the docker CLI decides it, so kmon (dockerode) and the compose
// CLI it starts talk to the same engine: DOCKER_HOST, else DOCKER_CONTEXT, else the current context of
// ~/.docker/config.json, else the default socket (system, Docker Desktop's per-user socket, rootless).
import {createHash} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {problem, type StackOutcome} from './problem.js';

export type DockerEndpoint =
	| {kind: 'unix'; socketPath: string; source: string}
	| {kind: 'tcp'; host: string; port: number; tls: boolean; certPath: string | null; source: string}
	| {kind: 'ssh'; host: string; port: number; username: string | null; source: string};

/** What endpoint resolution needs from the machine; injectable for tests. */
export type EndpointHost = {
	env: NodeJS.ProcessEnv;
	homedir: string;
	exists: (file: string) => boolean;
	readText: (file: string) => string | undefined;
};

export const systemSocket = '/var/run/docker.sock';

export function machineHost(env: NodeJS.ProcessEnv = process.env): EndpointHost {
	return {
		env,
		homedir: os.homedir(),
		exists: existsSync,
		readText(file) {
			try {
				return readFileSync(file, 'utf8');
			} catch {
				return undefined;
			}
		},
	};
}

/** The engine to talk to, and where that choice came from (for messages). */
export function resolveDockerEndpoint(host: EndpointHost): StackOutcome<DockerEndpoint> {
	const {env} = host;
	const dockerHost = env['DOCKER_HOST']?.trim();
	if (dockerHost) {
		return parseDockerHost(dockerHost, 'DOCKER_HOST', env);
	}

	const configDir = env['DOCKER_CONFIG']?.trim() || path.join(host.homedir, '.docker');
	const contextName = env['DOCKER_CONTEXT']?.trim() || currentContext(host, configDir);
	if (contextName && contextName !== 'default') {
		const metaFile = path.join(configDir, 'contexts', 'meta', createHash('sha256').update(contextName).digest('hex'), 'meta.json');
		const meta = host.readText(metaFile);
		const where = `docker context "${contextName}"`;
		if (meta === undefined) {
			return {ok: false, problem: problem('docker-config', `the ${where} is selected but its settings (${metaFile}) are missing`,
				'select an existing context: docker context ls, then docker context use NAME (or unset DOCKER_CONTEXT)')};
		}

		const endpoint = contextHost(meta);
		if (!endpoint) {
			return {ok: false, problem: problem('docker-config', `the ${where} has no Docker endpoint kmon can read (${metaFile})`,
				'check it with docker context inspect, or select another with docker context use NAME')};
		}

		const tlsDir = path.join(configDir, 'contexts', 'tls', createHash('sha256').update(contextName).digest('hex'), 'docker');
		return parseDockerHost(endpoint.host, where, env, host.exists(path.join(tlsDir, 'ca.pem')) ? tlsDir : null, endpoint.skipTlsVerify);
	}

	return {ok: true, value: {kind: 'unix', socketPath: defaultSocket(host), source: 'the default socket'}};
}

/** Parses a DOCKER_HOST-style address: unix:///path, tcp://host:port, ssh://user@host[:port]. */
export function parseDockerHost(
	address: string,
	source: string,
	env: NodeJS.ProcessEnv = {},
	contextTlsDir: string | null = null,
	skipTlsVerify = false,
): StackOutcome<DockerEndpoint> {
	const bad = () => ({ok: false as const, problem: problem('docker-config',
		`${source} is "${address}", which is not a Docker address kmon understands`,
		'use unix:///var/run/docker.sock, tcp://HOST:2375 (2376 with TLS) or ssh://USER@HOST')});
	if (address.startsWith('unix://')) {
		const socketPath = address.slice('unix://'.length);
		return socketPath ? {ok: true, value: {kind: 'unix', socketPath, source}} : bad();
	}

	if (address.startsWith('npipe://') || address.startsWith('fd://')) {
		return {ok: false, problem: problem('docker-config', `${source} is "${address}"; kmon on this system speaks to Docker over unix, tcp or ssh only`,
			'point DOCKER_HOST at the engine\'s unix socket or tcp address')};
	}

	let url: URL;
	try {
		url = new URL(address.includes('://') ? address : `tcp://${address}`);
	} catch {
		return bad();
	}

	if (!url.hostname) {
		return bad();
	}

	if (url.protocol === 'ssh:') {
		return {ok: true, value: {kind: 'ssh', host: url.hostname, port: Number(url.port || 22), username: url.username || null, source}};
	}

	if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
		return bad();
	}

	const certPath = contextTlsDir ?? (env['DOCKER_CERT_PATH']?.trim() || null);
	const port = Number(url.port || (url.protocol === 'https:' ? 2376 : 2375));
	const tls = !skipTlsVerify && (url.protocol === 'https:' || Boolean(env['DOCKER_TLS_VERIFY']) || port === 2376 || contextTlsDir !== null);
	return {ok: true, value: {kind: 'tcp', host: url.hostname, port, tls, certPath: tls ? certPath ?? path.join(os.homedir(), '.docker') : null, source}};
}

/** How a message names the endpoint: "unix:///var/run/docker.sock (the default socket)". */
export function describeEndpoint(endpoint: DockerEndpoint): string {
	switch (endpoint.kind) {
		case 'unix': {
			return `unix://${endpoint.socketPath} (${endpoint.source})`;
		}

		case 'tcp': {
			return `tcp://${endpoint.host}:${endpoint.port}${endpoint.tls ? ' with TLS' : ''} (${endpoint.source})`;
		}

		case 'ssh': {
			return `ssh://${endpoint.username ? `${endpoint.username}@` : ''}${endpoint.host}:${endpoint.port} (${endpoint.source})`;
		}
	}
}

function currentContext(host: EndpointHost, configDir: string): string | undefined {
	const text = host.readText(path.join(configDir, 'config.json'));
	if (text === undefined) {
		return undefined;
	}

	try {
		const value = (JSON.parse(text) as {currentContext?: unknown}).currentContext;
		return typeof value === 'string' && value ? value : undefined;
	} catch {
		return undefined;
	}
}

function contextHost(metaText: string): {host: string; skipTlsVerify: boolean} | undefined {
	try {
		const meta = JSON.parse(metaText) as {Endpoints?: {docker?: {Host?: unknown; SkipTLSVerify?: unknown}}};
		const docker = meta.Endpoints?.docker;
		return typeof docker?.Host === 'string' && docker.Host ? {host: docker.Host, skipTlsVerify: docker.SkipTLSVerify === true} : undefined;
	} catch {
		return undefined;
	}
}

/** The system socket if it exists, else Docker Desktop's per-user socket, else rootless Docker's, else the system path. */
function defaultSocket(host: EndpointHost): string {
	const candidates = [
		systemSocket,
		path.join(host.homedir, '.docker', 'run', 'docker.sock'),
		...(host.env['XDG_RUNTIME_DIR'] ? [path.join(host.env['XDG_RUNTIME_DIR'], 'docker.sock')] : []),
	];
	return candidates.find(candidate => host.exists(candidate)) ?? systemSocket;
}
