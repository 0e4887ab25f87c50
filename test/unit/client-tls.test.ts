import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import https from 'node:https';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {PrometheusClient} from '../../source/prometheus/client.js';

// A local HTTPS "Prometheus" whose certificate is signed by a CA made for this test with openssl.
let server: https.Server;
let url: string;
let caPem: string;

beforeAll(async () => {
	const directory = mkdtempSync(path.join(tmpdir(), 'kmon-tls-'));
	const openssl = (...args: string[]) => execFileSync('openssl', args, {cwd: directory, stdio: 'pipe'});
	openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=kmon test CA', '-keyout', 'ca.key', '-out', 'ca.pem');
	openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'server.key', '-out', 'server.csr');
	execFileSync('bash', ['-c', 'printf "subjectAltName=IP:127.0.0.1" > ext.cnf'], {cwd: directory});
	openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'ext.cnf', '-out', 'server.pem');
	caPem = readFileSync(path.join(directory, 'ca.pem'), 'utf8');
	server = https.createServer({key: readFileSync(path.join(directory, 'server.key')), cert: readFileSync(path.join(directory, 'server.pem'))}, (_request, response) => {
		response.writeHead(200, {'content-type': 'application/json'});
		response.end(JSON.stringify({status: 'success', data: {resultType: 'vector', result: [{metric: {}, value: [1, '42']}]}}));
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise(resolve => {
		server.close(resolve);
	});
});

const query = async (tls?: {ca?: string; insecure?: boolean}) =>
	new PrometheusClient({url, credentials: {kind: 'none'}, headers: {}, timeoutMs: 3000, tls}).instant('up', new Date());

describe('Given Prometheus behind HTTPS with a private CA', () => {
	test('when kmon is given the CA, then queries succeed', async () => {
		expect(await query({ca: caPem})).toEqual({ok: true, value: [{labels: {}, value: 42}]});
	});

	test('when kmon is not given the CA, then the query fails saying the certificate is not trusted and how to fix it', async () => {
		const result = await query();
		expect(result).toMatchObject({ok: false, error: {kind: 'unreachable', message: expect.stringMatching(/TLS certificate is not trusted .*--ca-file/)}});
	});

	test('when --insecure is given, then certificate checks are skipped', async () => {
		expect(await query({insecure: true})).toMatchObject({ok: true});
	});
});
