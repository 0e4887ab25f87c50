// The one place kmon opens a dockerode client: it resolves the engine like the docker CLI does, pings it
// with a time limit, and turns failures into StackProblems.
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import {machineHost, resolveDockerEndpoint, type DockerEndpoint} from './docker-endpoint.js';
import {classifyDockerError} from './docker-errors.js';
import type {StackOutcome} from './problem.js';

export type DockerConnection = {docker: Docker; endpoint: DockerEndpoint; version: string; apiVersion: string};

export type ConnectOptions = {env?: NodeJS.ProcessEnv; timeoutMs?: number};

/** Opens and pings the engine; never throws. */
export async function connectDocker(options: ConnectOptions = {}): Promise<StackOutcome<DockerConnection>> {
	const resolved = resolveDockerEndpoint(machineHost(options.env ?? process.env));
	if (!resolved.ok) {
		return resolved;
	}

	const endpoint = resolved.value;
	if (endpoint.kind === 'unix' && !existsSync(endpoint.socketPath)) {
		// Said without loading dockerode, which costs ~25 MiB of memory (bench/README.md).
		return {ok: false, problem: classifyDockerError(Object.assign(new Error('no socket'), {code: 'ENOENT'}), endpoint)};
	}

	const timeoutMs = options.timeoutMs ?? 5000;
	let docker: Docker;
	try {
		// Loaded on first use: dockerode pulls in gRPC and protobuf, which `kmon --once` should not pay for.
		const {default: DockerClient} = await import('dockerode');
		docker = new DockerClient(dockerOptions(endpoint, timeoutMs));
	} catch (error) {
		return {ok: false, problem: classifyDockerError(error, endpoint)};
	}

	try {
		const version = await withTimeout(docker.version(), timeoutMs);
		return {ok: true, value: {docker, endpoint, version: version.Version, apiVersion: version.ApiVersion}};
	} catch (error) {
		return {ok: false, problem: classifyDockerError(error, endpoint, 'connect')};
	}
}

/** Rejects with a timeout marker (classified as docker-timeout) when `promise` takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => {
			reject(Object.assign(new Error(`no answer within ${ms} ms`), {kmonTimeout: true}));
		}, ms);
	});
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

function dockerOptions(endpoint: DockerEndpoint, timeoutMs: number): Docker.DockerOptions {
	switch (endpoint.kind) {
		case 'unix': {
			return {socketPath: endpoint.socketPath, timeout: timeoutMs};
		}

		case 'tcp': {
			const tls = endpoint.tls && endpoint.certPath ? readTls(endpoint.certPath) : {};
			return {host: endpoint.host, port: endpoint.port, protocol: endpoint.tls ? 'https' : 'http', timeout: timeoutMs, ...tls};
		}

		case 'ssh': {
			return {
				host: endpoint.host,
				port: endpoint.port,
				protocol: 'ssh',
				...(endpoint.username ? {username: endpoint.username} : {}),
				sshOptions: {agent: process.env['SSH_AUTH_SOCK']},
				timeout: timeoutMs,
			};
		}
	}
}

function readTls(folder: string): {ca?: Buffer; cert?: Buffer; key?: Buffer} {
	const read = (name: string) => {
		try {
			return readFileSync(path.join(folder, name));
		} catch {
			return undefined;
		}
	};

	const [ca, cert, key] = [read('ca.pem'), read('cert.pem'), read('key.pem')];
	return {...(ca ? {ca} : {}), ...(cert ? {cert} : {}), ...(key ? {key} : {})};
}
