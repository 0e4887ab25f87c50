import {describe, expect, test} from 'vitest';
import type {DockerEndpoint} from '../../../source/stack/docker-endpoint.js';
import {classifyDockerError} from '../../../source/stack/docker-errors.js';
import {describeProblem} from '../../../source/stack/problem.js';

const socket: DockerEndpoint = {kind: 'unix', socketPath: '/var/run/docker.sock', source: 'the default socket'};
const remote: DockerEndpoint = {kind: 'tcp', host: 'docker.example', port: 2375, tls: false, certPath: null, source: 'DOCKER_HOST'};
const remoteTls: DockerEndpoint = {kind: 'tcp', host: 'docker.example', port: 2376, tls: true, certPath: '/home/u/.docker', source: 'DOCKER_HOST'};
const overSsh: DockerEndpoint = {kind: 'ssh', host: 'build-box', port: 22, username: 'ci', source: 'docker context "remote"'};

/** What Node's net layer throws under dockerode. */
function socketError(code: string, syscall = 'connect'): NodeJS.ErrnoException {
	return Object.assign(new Error(`${syscall} ${code} /var/run/docker.sock`), {code, errno: -1, syscall, address: '/var/run/docker.sock'});
}

describe('Given Docker could not be reached over its unix socket', () => {
	test('when the socket does not exist, then it says there is no socket and how to start Docker or point elsewhere', () => {
		const found = classifyDockerError(socketError('ENOENT'), socket);
		expect(found.kind).toBe('docker-no-socket');
		expect(found.message).toBe('no Docker socket at /var/run/docker.sock (the default socket): Docker is not running or not installed');
		expect(found.fix).toMatch(/systemctl start docker/);
		expect(found.fix).toMatch(/DOCKER_HOST=unix:\/\//);
	});

	test.each(['EACCES', 'EPERM'])('when opening it fails with %s, then it says permission denied and how to join the docker group', code => {
		const found = classifyDockerError(socketError(code), socket);
		expect(found.kind).toBe('docker-permission');
		expect(found.message).toBe('permission denied on the Docker socket /var/run/docker.sock');
		expect(found.fix).toMatch(/usermod -aG docker/);
	});

	test('when nothing listens on it, then it says the daemon is not running', () => {
		const found = classifyDockerError(socketError('ECONNREFUSED'), socket);
		expect(found.kind).toBe('docker-not-running');
		expect(found.message).toMatch(/exists but no engine answers/);
	});

	test('when the engine does not answer in time, then it is a time-out', () => {
		expect(classifyDockerError(Object.assign(new Error('no answer within 5000 ms'), {kmonTimeout: true}), socket).kind).toBe('docker-timeout');
	});
});

describe('Given Docker is remote (DOCKER_HOST or a docker context)', () => {
	test.each(['ECONNREFUSED', 'EHOSTUNREACH', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET'])('when the connection fails with %s, then the host is unreachable, named with its source', code => {
		const found = classifyDockerError(Object.assign(new Error(code), {code}), remote);
		expect(found.kind).toBe('docker-host-unreachable');
		expect(found.message).toBe(`the Docker engine at tcp://docker.example:2375 (DOCKER_HOST) does not answer (${code})`);
		expect(found.fix).toMatch(/unset DOCKER_HOST/);
	});

	test('when something answers the first request with HTTP 404, then that something is not a Docker engine', () => {
		const found = classifyDockerError({statusCode: 404, reason: 'unexpected', json: null, message: '(HTTP code 404) unexpected'}, remote, 'connect');
		expect(found.kind).toBe('docker-host-unreachable');
		expect(found.message).toMatch(/HTTP 404: not a Docker engine/);
	});

	test('when the first request times out, then the host is unreachable', () => {
		const found = classifyDockerError({kmonTimeout: true, message: 'no answer'}, remote, 'connect');
		expect(found.kind).toBe('docker-host-unreachable');
		expect(found.message).toMatch(/no answer in time/);
	});

	test('when TLS fails, then it names the certificate settings', () => {
		const found = classifyDockerError(Object.assign(new Error('self-signed certificate in certificate chain'), {code: 'SELF_SIGNED_CERT_IN_CHAIN'}), remoteTls);
		expect(found.kind).toBe('docker-tls');
		expect(found.fix).toMatch(/DOCKER_CERT_PATH/);
	});

	test('when ssh fails, then the fix is about ssh', () => {
		const found = classifyDockerError(Object.assign(new Error('All configured authentication methods failed'), {level: 'client-authentication'}), overSsh);
		expect(found.kind).toBe('docker-host-unreachable');
		expect(found.message).toMatch(/^the Docker engine at ssh:\/\/ci@build-box:22 \(docker context "remote"\) does not answer/);
		expect(found.fix).toMatch(/ssh-agent/);
	});
});

describe('Given the engine answered with an error', () => {
	test('when it is an API error, then its message is kept on one line', () => {
		const found = classifyDockerError({statusCode: 500, json: {message: 'driver failed\nprogramming external connectivity'}, message: 'x'}, socket);
		expect(found.kind).toBe('docker-api');
		expect(found.message).toBe('the Docker engine answered HTTP 500: driver failed programming external connectivity');
	});

	test('when something odd is thrown, then it still becomes a problem, never an exception', () => {
		expect(classifyDockerError('boom', socket).kind).toBe('docker-api');
		expect(classifyDockerError(null, socket).message).toMatch(/failed/);
	});
});

describe('Given a problem to show in a terminal', () => {
	test('then it is the message, the evidence indented, and each line of the fix', () => {
		expect(describeProblem({kind: 'compose-failed', message: 'compose up failed', fix: 'a\nb', details: ['x']})).toEqual([
			'kmon: compose up failed', '  │ x', '  → a', '  → b',
		]);
	});
});
