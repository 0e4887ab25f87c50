import {readFileSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import {addDockerIdentity} from '../../source/snapshot/add-docker-identity.js';
import type {ContainerIdentity, ContainerIdentityLookup} from '../../source/stack/container-identity.js';
import type {Snapshot} from '../../source/snapshot/types.js';

// The snapshot is the one recorded from the real stack; Docker's answers are given per case.
const recorded = JSON.parse(readFileSync(new URL('../fixtures/prometheus/stack.snapshot.json', import.meta.url), 'utf8')) as Snapshot;
const containers = recorded.containers.state === 'ok' ? recorded.containers.data.containers : [];
const kafka = containers.find(container => container.name === 'kafka')!;

const identity: ContainerIdentity = {
	id: 'f'.repeat(64), name: 'shop-api-1', composeProject: 'shop', composeService: 'api', image: 'shop/api:2',
	state: 'running', health: 'healthy', restartCount: 2, startedAt: null, uptimeSeconds: 600, monitoringStack: false,
};
const lookupGiving = (result: Awaited<ReturnType<ContainerIdentityLookup['lookup']>>): ContainerIdentityLookup => ({
	lookup: async () => result,
	invalidate() {},
});

describe('Given containers cAdvisor reported without Docker names', () => {
	test('when Docker knows one by its id, then it takes Docker\'s name, compose labels and state', async () => {
		const snapshot = await addDockerIdentity(recorded, lookupGiving({ok: true, identities: new Map([[kafka.id, identity]])}));
		const enriched = snapshot.containers.state === 'ok' ? snapshot.containers.data.containers.find(container => container.id === kafka.id) : undefined;
		expect(enriched).toMatchObject({
			name: 'shop-api-1', nameSource: 'docker', composeProject: 'shop', composeService: 'api', image: 'shop/api:2',
			docker: {state: 'running', health: 'healthy', restartCount: 2, uptimeSeconds: 600}, monitoringStack: false,
		});
		expect(enriched?.cpuPercent).toEqual(kafka.cpuPercent);
	});

	test('when Docker cannot be reached, then the containers stay as cAdvisor said and a diagnostic says why', async () => {
		const snapshot = await addDockerIdentity(recorded, lookupGiving({ok: false, problem: {kind: 'no-socket', message: 'no Docker socket at /var/run/docker.sock', fix: 'start Docker'} as never}));
		expect(snapshot.containers).toEqual(recorded.containers);
		expect(snapshot.diagnostics.at(-1)).toMatchObject({area: 'containers', message: expect.stringMatching(/no Docker socket/), fix: 'start Docker'});
	});
});
