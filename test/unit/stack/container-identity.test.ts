import {describe, expect, test} from 'vitest';
import {dockerIdFromCgroup} from '../../../source/stack/container-identity.js';

const id = '3f2a9c0e1d7b4a6f8e2c5b1a9d0e3f7c6b5a4d3e2f1a0b9c8d7e6f5a4b3c2d1e';

describe('Given a cgroup id as cAdvisor reports it', () => {
	test.each([
		{cgroup: `/docker/${id}`, driver: 'cgroupfs (cgroup v1)'},
		{cgroup: `/system.slice/docker-${id}.scope`, driver: 'systemd'},
		{cgroup: `/kubepods/burstable/pod1234/docker-${id}.scope`, driver: 'cri-dockerd under systemd'},
		{cgroup: `/kubepods/besteffort/pod1234/${id}`, driver: 'kubelet with cgroupfs'},
		{cgroup: `/docker/${id}/init.scope`, driver: 'a nested init scope'},
		{cgroup: `/machine.slice/libpod-${id}.scope`, driver: 'podman'},
	])('when it is $cgroup ($driver), then the container id is found', ({cgroup}) => {
		expect(dockerIdFromCgroup(cgroup)).toBe(id);
	});

	test.each([
		'/',
		'/docker',
		'/system.slice/ssh.service',
		'/kmon-test/kafka',
		`/docker/${id.slice(0, 12)}`,
		`/docker/${id.toUpperCase()}`,
	])('when it is %s, then it is not a container', cgroup => {
		expect(dockerIdFromCgroup(cgroup)).toBeNull();
	});

	test('when a container runs inside another (Docker in Docker), then the innermost id wins', () => {
		const inner = 'a'.repeat(64);
		expect(dockerIdFromCgroup(`/docker/${id}/docker/${inner}`)).toBe(inner);
	});
});
