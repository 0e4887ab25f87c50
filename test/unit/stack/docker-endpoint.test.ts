import {createHash} from 'node:crypto';
import {describe, expect, test} from 'vitest';
import {describeEndpoint, type EndpointHost, parseDockerHost, resolveDockerEndpoint} from '../../../source/stack/docker-endpoint.js';

function machine(env: NodeJS.ProcessEnv, files: Record<string, string> = {}, sockets: string[] = []): EndpointHost {
	return {
		env,
		homedir: '/home/u',
		exists: file => sockets.includes(file) || file in files,
		readText: file => files[file],
	};
}

const contextMeta = (name: string) => `/home/u/.docker/contexts/meta/${createHash('sha256').update(name).digest('hex')}/meta.json`;

describe('Given how the docker CLI would pick its engine', () => {
	test('when nothing is set and the system socket exists, then it is used', () => {
		const result = resolveDockerEndpoint(machine({}, {}, ['/var/run/docker.sock']));
		expect(result).toEqual({ok: true, value: {kind: 'unix', socketPath: '/var/run/docker.sock', source: 'the default socket'}});
	});

	test('when only Docker Desktop\'s per-user socket exists, then that one is used', () => {
		const result = resolveDockerEndpoint(machine({}, {}, ['/home/u/.docker/run/docker.sock']));
		expect(result.ok && result.value.kind === 'unix' && result.value.socketPath).toBe('/home/u/.docker/run/docker.sock');
	});

	test('when only a rootless engine\'s socket exists, then that one is used', () => {
		const result = resolveDockerEndpoint(machine({XDG_RUNTIME_DIR: '/run/user/1000'}, {}, ['/run/user/1000/docker.sock']));
		expect(result.ok && result.value.kind === 'unix' && result.value.socketPath).toBe('/run/user/1000/docker.sock');
	});

	test('when no socket exists anywhere, then the system path is named (so the message says where kmon looked)', () => {
		const result = resolveDockerEndpoint(machine({}));
		expect(result.ok && result.value.kind === 'unix' && result.value.socketPath).toBe('/var/run/docker.sock');
	});

	test('when DOCKER_HOST is set, then it wins over any context', () => {
		const result = resolveDockerEndpoint(machine({DOCKER_HOST: 'tcp://10.0.0.5:2375', DOCKER_CONTEXT: 'x'}));
		expect(result).toEqual({ok: true, value: {kind: 'tcp', host: '10.0.0.5', port: 2375, tls: false, certPath: null, source: 'DOCKER_HOST'}});
	});

	test('when config.json selects a context, then its endpoint is used and named after it', () => {
		const files = {
			'/home/u/.docker/config.json': JSON.stringify({currentContext: 'colima'}),
			[contextMeta('colima')]: JSON.stringify({Name: 'colima', Endpoints: {docker: {Host: 'unix:///home/u/.colima/default/docker.sock', SkipTLSVerify: false}}}),
		};
		const result = resolveDockerEndpoint(machine({}, files));
		expect(result.ok && describeEndpoint(result.value)).toBe('unix:///home/u/.colima/default/docker.sock (docker context "colima")');
	});

	test('when DOCKER_CONTEXT names a context that does not exist, then that is the problem', () => {
		const result = resolveDockerEndpoint(machine({DOCKER_CONTEXT: 'gone'}));
		expect(result.ok).toBe(false);
		expect(!result.ok && result.problem.kind).toBe('docker-config');
		expect(!result.ok && result.problem.fix).toMatch(/docker context use/);
	});

	test('when the context is "default", then the default socket is used', () => {
		const result = resolveDockerEndpoint(machine({DOCKER_CONTEXT: 'default'}, {}, ['/var/run/docker.sock']));
		expect(result.ok && result.value.kind).toBe('unix');
	});
});

describe('Given a DOCKER_HOST value', () => {
	test.each([
		{address: 'unix:///run/docker.sock', described: 'unix:///run/docker.sock (DOCKER_HOST)'},
		{address: 'tcp://docker.example:2376', described: 'tcp://docker.example:2376 with TLS (DOCKER_HOST)'},
		{address: 'docker.example:2375', described: 'tcp://docker.example:2375 (DOCKER_HOST)'},
		{address: 'ssh://ci@build-box', described: 'ssh://ci@build-box:22 (DOCKER_HOST)'},
	])('when it is $address, then it reads as $described', ({address, described}) => {
		const result = parseDockerHost(address, 'DOCKER_HOST');
		expect(result.ok && describeEndpoint(result.value)).toBe(described);
	});

	test('when DOCKER_TLS_VERIFY is set, then TLS is on with DOCKER_CERT_PATH', () => {
		const result = parseDockerHost('tcp://h:2375', 'DOCKER_HOST', {DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs'});
		expect(result.ok && result.value.kind === 'tcp' && [result.value.tls, result.value.certPath]).toEqual([true, '/certs']);
	});

	test.each(['unix://', 'bogus://x', 'tcp://', 'npipe:////./pipe/docker_engine'])('when it is %s, then kmon says it cannot use it', address => {
		const result = parseDockerHost(address, 'DOCKER_HOST');
		expect(result.ok).toBe(false);
		expect(!result.ok && result.problem.kind).toBe('docker-config');
	});
});
