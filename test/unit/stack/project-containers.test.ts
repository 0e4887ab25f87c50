import type {ContainerInspectInfo} from 'dockerode';
import {describe, expect, test} from 'vitest';
import {demuxDockerStream, formatPort, fromInspect, healthFromStatus, publishedPorts, uptimeSeconds} from '../../../source/stack/project-containers.js';
import {prometheusUrlOf} from '../../../source/stack/prometheus-ready.js';
import {describeState, readinessOf} from '../../../source/stack/wait-for-stack.js';

/** The parts of `docker inspect` kmon reads, as Docker 20.10 reports them. */
function inspect(overrides: {state?: Record<string, unknown>; labels?: Record<string, string>; ports?: Record<string, unknown>; restarts?: number} = {}): ContainerInspectInfo {
	return {
		Id: 'a'.repeat(64),
		Name: '/kmon-prometheus',
		Image: 'sha256:1234',
		RestartCount: overrides.restarts ?? 0,
		Config: {Image: 'prom/prometheus:v3.13.2', Labels: overrides.labels ?? {'com.docker.compose.project': 'kmon', 'com.docker.compose.service': 'prometheus', 'com.docker.compose.oneoff': 'False'}},
		State: {Status: 'running', StartedAt: '2026-11-24T07:00:00.5Z', ExitCode: 0, Health: {Status: 'healthy', FailingStreak: 0, Log: []}, ...overrides.state},
		NetworkSettings: {Ports: overrides.ports ?? {'9090/tcp': [{HostIp: '0.0.0.0', HostPort: '9090'}, {HostIp: '::', HostPort: '9090'}]}},
	} as unknown as ContainerInspectInfo;
}

describe('Given a container as docker inspect describes it', () => {
	test('when it runs healthy, then kmon sees its service, health, start and one port per host port', () => {
		const container = fromInspect(inspect());
		expect(container).toMatchObject({
			name: 'kmon-prometheus', project: 'kmon', service: 'prometheus', image: 'prom/prometheus:v3.13.2',
			state: 'running', health: 'healthy', restartCount: 0, startedAt: '2026-11-24T07:00:00.5Z', exitCode: null, oneOff: false,
		});
		expect(container.ports).toEqual([{hostIp: '0.0.0.0', hostPort: 9090, containerPort: 9090, protocol: 'tcp'}]);
		expect(uptimeSeconds(container, Date.parse('2026-11-24T07:01:00.5Z'))).toBe(60);
	});

	test('when it was stopped by hand, then it is exited with its code, no start time and no ports', () => {
		const container = fromInspect(inspect({state: {Status: 'exited', ExitCode: 143, StartedAt: '2026-11-24T07:00:00Z', Health: {Status: 'unhealthy', Log: []}}}));
		expect(container).toMatchObject({state: 'exited', exitCode: 143, startedAt: null, ports: []});
		expect(uptimeSeconds(container, Date.now())).toBeNull();
		expect(describeState(container)).toBe('exited (143)');
	});

	test('when its health check fails, then the last check\'s output is kept', () => {
		const container = fromInspect(inspect({state: {Health: {Status: 'unhealthy', Log: [{ExitCode: 1, Output: 'wget: server returned error: HTTP/1.1 503 Service Unavailable\n'}]}}}));
		expect(container.health).toBe('unhealthy');
		expect(container.healthOutput).toBe('wget: server returned error: HTTP/1.1 503 Service Unavailable');
	});

	test('when it has no health check and is not from compose, then health is none and project/service are null', () => {
		const container = fromInspect(inspect({labels: {}, state: {Health: undefined}}));
		expect([container.health, container.project, container.service]).toEqual(['none', null, null]);
	});
});

describe('Given published ports', () => {
	test('when a port is bound on IPv4 and IPv6, then it is listed once, IPv4 first; UDP and TCP stay apart', () => {
		const ports = publishedPorts({
			'9125/udp': [{HostIp: '127.0.0.1', HostPort: '8125'}],
			'9125/tcp': [{HostIp: '::', HostPort: '8125'}, {HostIp: '0.0.0.0', HostPort: '8125'}],
			'9102/tcp': [{HostIp: '127.0.0.1', HostPort: '9102'}],
			'9092/tcp': null,
		});
		expect(ports.map(port => formatPort(port))).toEqual(['127.0.0.1:9102→9102/tcp', '*:8125→9125/tcp', '127.0.0.1:8125→9125/udp']);
	});
});

describe('Given docker ps status texts', () => {
	test.each([
		{status: 'Up 5 minutes (healthy)', health: 'healthy'},
		{status: 'Up 3 seconds (health: starting)', health: 'starting'},
		{status: 'Up 2 hours (unhealthy)', health: 'unhealthy'},
		{status: 'Up 2 hours', health: 'none'},
		{status: 'Exited (0) 3 minutes ago', health: 'none'},
	])('when it is "$status", then health is $health', ({status, health}) => {
		expect(healthFromStatus(status)).toBe(health);
	});
});

describe('Given a container log in Docker\'s multiplexed format', () => {
	test('then the frames of stdout and stderr are joined in order', () => {
		const frame = (stream: number, text: string) => Buffer.concat([Buffer.from([stream, 0, 0, 0]), (() => {
			const size = Buffer.alloc(4);
			size.writeUInt32BE(Buffer.byteLength(text));
			return size;
		})(), Buffer.from(text)]);
		expect(demuxDockerStream(Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err 1\n'), frame(1, 'out 2\n')]))).toBe('out 1\nerr 1\nout 2\n');
	});

	test('when it is plain text (a TTY container), then it comes back as it is', () => {
		expect(demuxDockerStream(Buffer.from('hello\nworld\n'))).toBe('hello\nworld\n');
	});
});

describe('Given containers while kmon up waits', () => {
	test.each([
		{state: {Status: 'running', Health: {Status: 'healthy'}}, readiness: 'ready'},
		{state: {Status: 'running', Health: undefined}, readiness: 'ready'},
		{state: {Status: 'running', Health: {Status: 'starting'}}, readiness: 'waiting'},
		{state: {Status: 'running', Health: {Status: 'unhealthy'}}, readiness: 'waiting'},
		{state: {Status: 'restarting', Health: undefined}, readiness: 'waiting'},
		{state: {Status: 'created', Health: undefined}, readiness: 'waiting'},
	])('when it is $state.Status with health $state.Health.Status, then it is $readiness', ({state, readiness}) => {
		expect(readinessOf(fromInspect(inspect({state})))).toBe(readiness);
	});

	test('when it is exited, then it fails only once seen exited in three polls in a row (the restart policy may bring it back)', () => {
		const exited = fromInspect(inspect({state: {Status: 'exited', ExitCode: 1}}));
		expect(readinessOf(exited, 1)).toBe('waiting');
		expect(readinessOf(exited, 3)).toBe('failed');
	});

	test('when progress is reported, then restarts are counted', () => {
		expect(describeState(fromInspect(inspect({restarts: 4, state: {Health: {Status: 'starting'}}})), true)).toBe('running, health check pending, 4 restarts');
	});
});

describe('Given where the stack\'s Prometheus publishes its port', () => {
	const local = {kind: 'unix' as const, socketPath: '/var/run/docker.sock', source: 'the default socket'};

	test('when it is bound on all addresses or loopback, then the URL uses localhost', () => {
		expect(prometheusUrlOf([fromInspect(inspect())], local)).toBe('http://localhost:9090');
		expect(prometheusUrlOf([fromInspect(inspect({ports: {'9090/tcp': [{HostIp: '127.0.0.1', HostPort: '19090'}]}}))], local)).toBe('http://localhost:19090');
	});

	test('when the engine is remote, then the URL uses the engine\'s host', () => {
		const remote = {kind: 'tcp' as const, host: 'docker.example', port: 2375, tls: false, certPath: null, source: 'DOCKER_HOST'};
		expect(prometheusUrlOf([fromInspect(inspect())], remote)).toBe('http://docker.example:9090');
	});

	test('when Prometheus is not running, then there is no URL', () => {
		expect(prometheusUrlOf([fromInspect(inspect({state: {Status: 'exited'}}))], local)).toBeNull();
		expect(prometheusUrlOf([], local)).toBeNull();
	});
});
