// Turns whatever dockerode (or Node's socket layer under it) threw into a StackProblem that says exactly what
// is missing and what to do. Pure: the tests feed it the error shapes seen from real engines.
import {describeEndpoint, type DockerEndpoint} from './docker-endpoint.js';
import {problem, type StackProblem} from './problem.js';

type ErrorLike = {
	code?: unknown;
	errno?: unknown;
	syscall?: unknown;
	statusCode?: unknown;
	json?: unknown;
	reason?: unknown;
	message?: unknown;
	kmonTimeout?: unknown;
};

const startDocker = 'start Docker: sudo systemctl start docker (Linux), or open Docker Desktop';

/**
 * `phase` "connect" is the first request (the version ping): an HTTP error there means whatever answers is
 * not a Docker engine, and a silence from a remote address means the host is unreachable.
 */
export function classifyDockerError(thrown: unknown, endpoint: DockerEndpoint, phase: 'connect' | 'request' = 'request'): StackProblem {
	const error = (typeof thrown === 'object' && thrown !== null ? thrown : {message: String(thrown)}) as ErrorLike;
	const code = typeof error.code === 'string' ? error.code : '';
	const where = describeEndpoint(endpoint);
	const text = oneLine(error.message);

	if (endpoint.kind !== 'unix' && phase === 'connect' && (error.kmonTimeout === true || typeof error.statusCode === 'number')) {
		const what = error.kmonTimeout === true ? 'no answer in time' : `HTTP ${String(error.statusCode)}: not a Docker engine`;
		return problem('docker-host-unreachable', `the Docker engine at ${where} does not answer (${what})`,
			'check DOCKER_HOST (or the docker context): host, port, and tcp:// versus ssh://.\n'
			+ 'To use the local engine instead: unset DOCKER_HOST (and docker context use default).');
	}

	if (error.kmonTimeout === true || (code === 'ETIMEDOUT' && endpoint.kind === 'unix')) {
		return problem('docker-timeout', `the Docker engine at ${where} did not answer in time`,
			'the engine may be overloaded or hung: check docker info, or restart Docker');
	}

	if (typeof error.statusCode === 'number') {
		return problem('docker-api', `the Docker engine answered HTTP ${error.statusCode}: ${apiMessage(error) ?? text}`,
			'see the engine\'s own log (journalctl -u docker) if this persists');
	}

	if (endpoint.kind === 'unix') {
		switch (code) {
			case 'ENOENT': {
				return problem('docker-no-socket', `no Docker socket at ${endpoint.socketPath} (${endpoint.source}): Docker is not running or not installed`,
					`${startDocker}.\nIf the engine listens elsewhere, set DOCKER_HOST=unix:///path/to/docker.sock, or select it with docker context use NAME.`);
			}

			case 'EACCES':
			case 'EPERM': {
				return problem('docker-permission', `permission denied on the Docker socket ${endpoint.socketPath}`,
					'add your user to the docker group: sudo usermod -aG docker "$USER", then log out and in again (or run newgrp docker).\n'
					+ 'Or run kmon as a user that may use Docker, or use rootless Docker (DOCKER_HOST=unix://$XDG_RUNTIME_DIR/docker.sock).');
			}

			case 'ECONNREFUSED': {
				return problem('docker-not-running', `the Docker socket ${endpoint.socketPath} exists but no engine answers on it`,
					`the daemon is stopped or crashed: ${startDocker}.`);
			}

			case 'ENOTSOCK': {
				return problem('docker-config', `${endpoint.socketPath} (${endpoint.source}) is not a socket`,
					'point DOCKER_HOST at the engine\'s socket, e.g. unix:///var/run/docker.sock');
			}

			default: {
				break;
			}
		}
	}

	if (/certificate|self[- ]signed|ssl|tls|EPROTO|ERR_SSL|UNABLE_TO_VERIFY|DEPTH_ZERO|CERT_/i.test(`${code} ${text}`) && endpoint.kind === 'tcp') {
		return problem('docker-tls', `TLS to the Docker engine at ${where} failed: ${text || code}`,
			'check DOCKER_TLS_VERIFY and that DOCKER_CERT_PATH holds ca.pem, cert.pem and key.pem for this engine');
	}

	if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE'].includes(code)
		|| (endpoint.kind === 'ssh' && code === '')) {
		const how = endpoint.kind === 'ssh'
			? 'check that ssh to that host works without a password prompt (ssh-agent), and that Docker runs there'
			: 'check that the engine runs on that host and listens on that port (and that no firewall is in between)';
		return problem('docker-host-unreachable', `the Docker engine at ${where} does not answer (${code || text || 'no answer'})`,
			`${how}.\nTo use the local engine instead: unset DOCKER_HOST (and docker context use default).`);
	}

	return problem('docker-api', `Docker at ${where} failed: ${text || code || 'unknown error'}`,
		'check that docker info works in this shell');
}

function apiMessage(error: ErrorLike): string | undefined {
	const json = error.json as {message?: unknown} | null | undefined;
	if (json && typeof json.message === 'string') {
		return oneLine(json.message);
	}

	return typeof error.reason === 'string' ? error.reason : undefined;
}

function oneLine(value: unknown): string {
	return typeof value === 'string' ? value.replaceAll(/\s+/g, ' ').trim() : '';
}
