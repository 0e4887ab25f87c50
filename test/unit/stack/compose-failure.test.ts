import {describe, expect, test} from 'vitest';
import {composeFailure} from '../../../source/stack/compose-failure.js';

describe('Given a compose run that failed', () => {
	test.each([
		{cli: 'docker-compose 1.29', line: 'ERROR: for prometheus  Cannot start service prometheus: driver failed programming external connectivity on endpoint kmon-prometheus (3f2a): Bind for 0.0.0.0:9090 failed: port is already allocated'},
		{cli: 'Compose v2', line: 'Error response from daemon: driver failed programming external connectivity on endpoint kmon-prometheus: Error starting userland proxy: listen tcp4 0.0.0.0:9090: bind: address already in use'},
	])('when a host port is taken ($cli), then the port is named with the variables that move it', ({line}) => {
		const found = composeFailure('compose up', ['Creating kmon-prometheus ... error', line], 1);
		expect(found.message).toBe('compose up failed: host port 9090 is already in use');
		expect(found.fix).toMatch(/KMON_PROMETHEUS_PORT/);
		expect(found.details).toContain(line);
	});

	test.each([
		'Error response from daemon: pull access denied for kmon/jmx-exporter, repository does not exist or may require \'docker login\'',
		'Error response from daemon: Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host',
		'ERROR: manifest for prom/prometheus:v9.9.9 not found: manifest unknown: manifest unknown',
		'Error response from daemon: toomanyrequests: You have reached your pull rate limit.',
	])('when images cannot be pulled (%s), then it says so', line => {
		expect(composeFailure('compose up', [line], 1).message).toBe('compose up failed: Docker could not pull the stack\'s images');
	});

	test('when the engine refuses a privileged container, then the fix is an override for cAdvisor', () => {
		const found = composeFailure('compose up', ['Cannot start service cadvisor: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: unable to apply caps: operation not permitted: unknown'], 1);
		expect(found.message).toMatch(/cannot run a privileged container/);
		expect(found.fix).toMatch(/privileged: false/);
	});

	test('when the external network is missing, then KMON_NETWORK is named', () => {
		const found = composeFailure('compose up', ['ERROR: Network myapp_default declared as external, but could not be found. Please create the network manually using `docker network create myapp_default` and try again.'], 1);
		expect(found.message).toMatch(/KMON_NETWORK/);
	});

	test('when the reason is unknown, then the last lines are the evidence', () => {
		const lines = Array.from({length: 30}, (_, index) => `line ${index}`);
		const found = composeFailure('compose down', lines, 3);
		expect(found.message).toBe('compose down failed (exit 3)');
		expect(found.details).toHaveLength(12);
		expect(found.details?.at(-1)).toBe('line 29');
	});
});
