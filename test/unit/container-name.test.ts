import {describe, expect, test} from 'vitest';
import {containerName} from '../../source/domains/containers/collect.js';
import type {Labels} from '../../source/prometheus/client.js';

const dockerId = 'b191320731f904324347f887891983df659f1635b3be3a352947a0406dbc2574';

describe('Given the labels cAdvisor put on a container', () => {
	test.each<{labels: Labels; expected: ReturnType<typeof containerName>}>([
		{labels: {id: `/docker/${dockerId}`, name: 'shop-api-1', container_label_com_docker_compose_service: 'api'}, expected: {name: 'shop-api-1', nameSource: 'name'}},
		{labels: {id: `/docker/${dockerId}`, container_label_com_docker_compose_service: 'api'}, expected: {name: 'api', nameSource: 'compose-service'}},
		{labels: {id: `/docker/${dockerId}`}, expected: {name: 'b191320731f9', nameSource: 'id'}},
		{labels: {id: `/system.slice/docker-${dockerId}.scope`}, expected: {name: 'b191320731f9', nameSource: 'id'}},
		{labels: {id: '/kmon-test/kafka'}, expected: {name: 'kafka', nameSource: 'id'}},
	])('then $labels.id is called $expected.name', ({labels, expected}) => {
		expect(containerName(labels)).toEqual(expected);
	});
});
