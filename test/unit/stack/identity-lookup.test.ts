import type Docker from 'dockerode';
import {describe, expect, test} from 'vitest';
import {createContainerIdentity} from '../../../source/stack/container-identity.js';

const kafkaId = 'b'.repeat(64);
const appId = 'c'.repeat(64);

/** A stand-in for dockerode with two containers; counts the requests kmon makes. */
function fakeEngine() {
	const calls = {list: 0, inspect: 0};
	const state = {kafkaStatus: 'Up 5 minutes (healthy)', kafkaRestarts: 0, fail: undefined as Error | undefined};
	const listed = () => [
		{Id: kafkaId, Names: ['/kmon-kafka'], Image: 'apache/kafka:4.3.1', State: 'running', Status: state.kafkaStatus, Labels: {'com.docker.compose.project': 'kmon', 'com.docker.compose.service': 'kafka'}},
		{Id: appId, Names: ['/shop-api-1'], Image: 'shop/api:2', State: 'running', Status: 'Up 2 hours', Labels: {'com.docker.compose.project': 'shop', 'com.docker.compose.service': 'api'}},
	];
	const docker = {
		async listContainers() {
			calls.list++;
			if (state.fail) {
				throw state.fail;
			}

			return listed();
		},
		getContainer(id: string) {
			return {
				async inspect() {
					calls.inspect++;
					const entry = listed().find(container => container.Id === id)!;
					return {
						Id: id, Name: entry.Names[0], Image: 'sha256:1', RestartCount: id === kafkaId ? state.kafkaRestarts : 0,
						Config: {Image: entry.Image, Labels: entry.Labels},
						State: {Status: 'running', StartedAt: '2026-11-24T07:00:00Z', ExitCode: 0, ...(id === kafkaId ? {Health: {Status: state.kafkaStatus.includes('unhealthy') ? 'unhealthy' : 'healthy', Log: []}} : {})},
						NetworkSettings: {Ports: {}},
					};
				},
			};
		},
	};
	return {calls, state, docker: docker as unknown as Docker};
}

describe('Given the Containers tab asks who cAdvisor\'s cgroups are', () => {
	const endpoint = {kind: 'unix' as const, socketPath: '/var/run/docker.sock', source: 'test'};

	test('when asked, then each Docker container gets its name, compose service, health, restarts, uptime and stack mark', async () => {
		const engine = fakeEngine();
		let clock = Date.parse('2026-11-24T07:10:00Z');
		const identity = createContainerIdentity({docker: {docker: engine.docker, endpoint}, now: () => clock});
		const result = await identity.lookup([`/docker/${kafkaId}`, `/system.slice/docker-${appId}.scope`, '/', '/system.slice/cron.service', `/docker/${'d'.repeat(64)}`]);
		expect(result.ok).toBe(true);
		if (!result.ok) {
			return;
		}

		expect([...result.identities.keys()]).toEqual([`/docker/${kafkaId}`, `/system.slice/docker-${appId}.scope`]);
		expect(result.identities.get(`/docker/${kafkaId}`)).toEqual({
			id: kafkaId, name: 'kmon-kafka', composeProject: 'kmon', composeService: 'kafka', image: 'apache/kafka:4.3.1',
			state: 'running', health: 'healthy', restartCount: 0, startedAt: '2026-11-24T07:00:00Z', uptimeSeconds: 600, monitoringStack: true,
		});
		expect(result.identities.get(`/system.slice/docker-${appId}.scope`)).toMatchObject({name: 'shop-api-1', composeService: 'api', monitoringStack: false, health: 'none'});
		clock += 1000;
		const again = await identity.lookup([`/docker/${kafkaId}`]);
		expect(again.ok && again.identities.get(`/docker/${kafkaId}`)?.uptimeSeconds).toBe(601);
	});

	test('when polled every 2 s, then docker ps runs once per TTL and inspect only when a container\'s state text changes', async () => {
		const engine = fakeEngine();
		let clock = 0;
		const identity = createContainerIdentity({docker: {docker: engine.docker, endpoint}, now: () => clock, ttlMs: 5000});
		const ids = [`/docker/${kafkaId}`, `/docker/${appId}`];
		for (let poll = 0; poll < 5; poll++) {
			await identity.lookup(ids);
			clock += 2000;
		}

		expect(engine.calls).toEqual({list: 2, inspect: 2});
		engine.state.kafkaStatus = 'Up 6 minutes (unhealthy)';
		engine.state.kafkaRestarts = 1;
		clock += 5000;
		const result = await identity.lookup(ids);
		expect(engine.calls).toEqual({list: 3, inspect: 3});
		expect(result.ok && result.identities.get(`/docker/${kafkaId}`)).toMatchObject({health: 'unhealthy', restartCount: 1});
	});

	test('when Docker goes away, then the problem is returned, not thrown, and not retried on every poll', async () => {
		const engine = fakeEngine();
		let clock = 0;
		const identity = createContainerIdentity({docker: {docker: engine.docker, endpoint}, now: () => clock, failureTtlMs: 30_000});
		engine.state.fail = Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), {code: 'ECONNREFUSED'});
		const first = await identity.lookup([`/docker/${kafkaId}`]);
		expect(!first.ok && first.problem.kind).toBe('docker-not-running');
		clock += 2000;
		await identity.lookup([`/docker/${kafkaId}`]);
		expect(engine.calls.list).toBe(1);
		engine.state.fail = undefined;
		clock += 30_000;
		const back = await identity.lookup([`/docker/${kafkaId}`]);
		expect(back.ok).toBe(true);
	});
});
