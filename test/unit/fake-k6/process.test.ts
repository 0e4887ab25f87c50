// fake-k6 as a process, the way kmon will run it: arguments, stdout/stderr, UDP datagrams, signals and
// exit codes. No services needed: the test listens for the datagrams itself (loopback only).
import {spawn} from 'node:child_process';
import dgram from 'node:dgram';
import http from 'node:http';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import fs from 'node:fs';
import os from 'node:os';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const K6 = path.resolve(here, '../../stack/fake-k6/k6.js');
const scriptDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-k6-test-'));
const SCRIPT = path.join(scriptDir, 'load.js');
fs.writeFileSync(SCRIPT, "import http from 'k6/http';\nexport default function () { http.get('http://localhost/'); }\n");

type Result = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; datagrams: Buffer[]};

let udp: dgram.Socket;
let udpPort = 0;
let received: Buffer[] = [];

beforeAll(async () => {
	udp = dgram.createSocket('udp4');
	udp.on('message', msg => received.push(msg));
	await new Promise<void>(resolve => udp.bind(0, '127.0.0.1', () => resolve()));
	udpPort = udp.address().port;
});

afterAll(() => {
	udp.close();
	fs.rmSync(scriptDir, {recursive: true, force: true});
});

/** Runs fake-k6; `onLine` may send signals when stdout shows a given line. */
function k6(args: string[], env: Record<string, string> = {}, onStdout?: (text: string, child: ReturnType<typeof spawn>) => void): Promise<Result> {
	received = [];
	return new Promise(resolve => {
		const child = spawn(process.execPath, [K6, ...args], {
			env: {PATH: process.env.PATH ?? '', K6_STATSD_ADDR: `127.0.0.1:${udpPort}`, FAKE_K6_ITERATION_SLEEP_MS: '20', ...env},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', chunk => {
			stdout += chunk;
			onStdout?.(stdout, child);
		});
		child.stderr.on('data', chunk => {
			stderr += chunk;
		});
		child.on('close', (code, signal) => {
			// Datagrams sent just before exit may still be in the socket queue.
			setTimeout(() => resolve({code, signal, stdout, stderr, datagrams: [...received]}), 100);
		});
	});
}

const lines = (datagrams: Buffer[]) => datagrams.flatMap(d => d.toString().split('\n').filter(Boolean));
const LINE = /^k6\.(?<name>[^:]+):(?<value>-?\d+(\.\d{6})?)\|(?<type>c|ms|g)(\|#(?<tags>.+))?$/;

describe('Given fake-k6 running an output-statsd test for 2 s', () => {
	let untagged: Result;
	let tagged: Result;
	beforeAll(async () => {
		untagged = await k6(['run', '-o', 'output-statsd', '--vus', '2', '--duration', '2s', SCRIPT]);
		tagged = await k6(['run', '-o', 'output-statsd', '--vus', '2', '--duration', '2s', SCRIPT], {K6_STATSD_ENABLE_TAGS: 'true'});
	}, 30_000);

	it('when it ends, then it exits 0 with nothing on stderr', () => {
		expect(untagged.code).toBe(0);
		expect(untagged.stderr).toBe('');
	});

	it('when it sends StatsD, then every line is in k6’s wire format and every datagram within 1432 bytes and 20 lines', () => {
		expect(untagged.datagrams.length).toBeGreaterThan(0);
		for (const d of untagged.datagrams) {
			expect(d.length).toBeLessThanOrEqual(1432);
			expect(d.toString().endsWith('\n')).toBe(true);
			expect(d.toString().trimEnd().split('\n').length).toBeLessThanOrEqual(20);
		}
		for (const line of lines(untagged.datagrams)) expect(line).toMatch(LINE);
	});

	it('when tags are off, then no line carries tags, yet every built-in metric is there', () => {
		const all = lines(untagged.datagrams);
		expect(all.filter(l => l.includes('|#'))).toEqual([]);
		const names = new Set(all.map(l => LINE.exec(l)?.groups?.name));
		for (const name of ['http_reqs', 'http_req_duration', 'http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking',
			'http_req_sending', 'http_req_waiting', 'http_req_receiving', 'http_req_failed', 'iterations', 'iteration_duration',
			'data_sent', 'data_received', 'vus', 'vus_max', 'group_duration', 'check.items status is 200.pass']) {
			expect(names, name).toContain(name);
		}
	});

	it('when tags are on, then each request line names its endpoint, method, status, scenario, and never url, vu or iter', () => {
		const reqs = lines(tagged.datagrams).filter(l => l.startsWith('k6.http_reqs:'));
		expect(reqs.length).toBeGreaterThan(5);
		const endpoints = new Set<string>();
		for (const line of reqs) {
			const tags = Object.fromEntries((LINE.exec(line)?.groups?.tags ?? '').split(',').map(t => [t.slice(0, t.indexOf(':')), t.slice(t.indexOf(':') + 1)]));
			expect(Object.keys(tags)).toEqual(expect.arrayContaining(['name', 'method', 'status', 'scenario', 'expected_response', 'proto']));
			expect(Object.keys(tags)).not.toEqual(expect.arrayContaining(['url']));
			expect(Object.keys(tags).some(k => k === 'vu' || k === 'iter' || k === 'url')).toBe(false);
			expect(Object.values(tags).every(v => v !== '')).toBe(true);
			endpoints.add(tags.name!);
		}
		expect([...endpoints].sort()).toEqual(['GET /items', 'GET /items/:id', 'GET /report', 'POST /cart', 'POST /orders']);
	});

	it('when http requests fail, then http_req_failed is counted as 1 on their lines and 0 on the others', () => {
		const failed = lines(tagged.datagrams).filter(l => l.startsWith('k6.http_req_failed:'));
		expect(failed.some(l => l.startsWith('k6.http_req_failed:1|c|#') && /status:(404|500)/.test(l))).toBe(true);
		expect(failed.every(l => (l.startsWith('k6.http_req_failed:1') ? /status:(404|500)/ : /status:20[01]/).test(l))).toBe(true);
	});

	it('when it prints progress, then stdout has k6’s non-terminal lines every second and a summary', () => {
		expect(untagged.stdout).toMatch(/\nrunning \(01\.\ds\), 2\/2 VUs, \d+ complete and 0 interrupted iterations\ndefault   \[ {2}\d\d% \] 2 VUs {2}1\.\ds\/2s\n/);
		expect(untagged.stdout).toContain('     scenarios: (100.00%) 1 scenario, 2 max VUs, 32s max duration (incl. graceful stop):');
		expect(untagged.stdout).toContain('█ TOTAL RESULTS');
		expect(untagged.stdout).toMatch(/\ndefault ✓ \[ 100% \] 2 VUs {2}2s\n$/);
	});
});

describe('Given fake-k6 is asked to stop', () => {
	it('when it receives one SIGINT, then it stops gracefully, prints the summary and exits 105', async () => {
		let sent = false;
		const result = await k6(['run', '-o', 'output-statsd', '--vus', '2', '--duration', '20s', SCRIPT], {}, (out, child) => {
			if (!sent && /running \(0\d\.\ds\)/.test(out)) {
				sent = true;
				child.kill('SIGINT');
			}
		});
		expect(result.code).toBe(105);
		expect(result.stderr).toMatch(/level=error msg="test run was aborted because k6 received a 'interrupt' signal"/);
		expect(result.stdout).toContain('█ TOTAL RESULTS');
		expect(result.stdout).toMatch(/\ndefault ✗ \[ +\d+% \] 2 VUs {2}\d\d\.\ds\/20s\n/);
		expect(lines(result.datagrams).some(l => l.startsWith('k6.http_reqs:'))).toBe(true);
	}, 20_000);

	it('when it receives SIGTERM, then the reason names the terminated signal', async () => {
		let sent = false;
		const result = await k6(['run', '--vus', '1', '--duration', '20s', SCRIPT], {}, (out, child) => {
			if (!sent && /running \(0\d\.\ds\)/.test(out)) {
				sent = true;
				child.kill('SIGTERM');
			}
		});
		expect(result.code).toBe(105);
		expect(result.stderr).toContain("received a 'terminated' signal");
	}, 20_000);

	it('when a second SIGINT follows during a slow graceful stop, then it aborts at once with 105 and no summary', async () => {
		let sent = 0;
		const start = Date.now();
		const result = await k6(['run', '--vus', '1', '--duration', '20s', SCRIPT], {FAKE_K6_STOP_DELAY: '10'}, (out, child) => {
			if (sent === 0 && /running \(0\d\.\ds\)/.test(out)) {
				sent = 1;
				child.kill('SIGINT');
				// Two signals sent back to back would merge into one pending signal in the kernel.
				setTimeout(() => child.kill('SIGINT'), 300);
			}
		});
		expect(Date.now() - start).toBeLessThan(8000);
		expect(result.code).toBe(105);
		expect(result.stderr).toMatch(/level=error msg="Aborting k6 in response to signal" sig=interrupt/);
		expect(result.stdout).not.toContain('TOTAL RESULTS');
	}, 20_000);

	it('when FAKE_K6_IGNORE_SIGINT=1, then SIGINT is ignored and only SIGKILL ends it', async () => {
		let sent = false;
		const start = Date.now();
		const result = await k6(['run', '--vus', '1', '--duration', '2s', SCRIPT], {FAKE_K6_IGNORE_SIGINT: '1'}, (out, child) => {
			if (!sent && /running \(0\d\.\ds\)/.test(out)) {
				sent = true;
				child.kill('SIGINT');
				setTimeout(() => child.kill('SIGKILL'), 3000);
			}
		});
		expect(result.signal).toBe('SIGKILL');
		expect(Date.now() - start).toBeGreaterThanOrEqual(3000);
	}, 20_000);
});

describe('Given fake-k6’s fault switches and bad input', () => {
	it.each([
		['FAKE_K6_EXIT_CODE=99 (thresholds failed)', {FAKE_K6_EXIT_CODE: '99'}, 99, /level=error msg="thresholds on metrics 'http_req_duration' have been crossed"/],
		['FAKE_K6_EXIT_CODE=110 (marked as failed)', {FAKE_K6_EXIT_CODE: '110'}, 110, /msg="test run was marked as failed"/],
		['FAKE_K6_CRASH_AFTER=0.5 (script error)', {FAKE_K6_CRASH_AFTER: '0.5'}, 107, /msg="TypeError: .*" hint="script exception"/],
	])('when %s, then the exit code and the error line are k6’s', async (_, env, code, stderr) => {
		const result = await k6(['run', '--vus', '1', '--duration', '1s', SCRIPT], env);
		expect(result.code).toBe(code);
		expect(result.stderr).toMatch(stderr);
	}, 20_000);

	it.each([
		['a missing script', ['run', 'nowhere.js'], {}, /couldn't be found on local disk/],
		['no script', ['run'], {}, /accepts 1 arg\(s\), received 0/],
		['an unknown flag', ['run', '--frobnicate', SCRIPT], {}, /unknown flag: --frobnicate/],
		['output-statsd on stock k6', ['run', '-o', 'output-statsd', SCRIPT], {FAKE_K6_FLAVOR: 'stock'}, /invalid output type 'output-statsd'/],
		['statsd on k6 v1', ['run', '-o', 'statsd', SCRIPT], {}, /the statsd output was deprecated in k6 v0.47.0 and removed in k6 v0.55.0/],
		['an invalid K6_STATSD_ENABLE_TAGS', ['run', '-o', 'output-statsd', SCRIPT], {K6_STATSD_ENABLE_TAGS: 'yes'}, /could not create the 'output-statsd' output: envconfig/],
		['`version --json` on k6 v0.54', ['version', '--json'], {FAKE_K6_FLAVOR: 'legacy'}, /unknown flag: --json/],
	])('when given %s, then k6’s error is logged and it exits 255', async (_, args, env, stderr) => {
		const result = await k6(args, env);
		expect(result.code).toBe(255);
		expect(result.stderr).toMatch(stderr);
	}, 20_000);

	it('when only --vus is given, then k6 warns and runs 1 iteration of 1 VU', async () => {
		const result = await k6(['run', '--vus', '5', SCRIPT]);
		expect(result.code).toBe(0);
		expect(result.stderr).toContain('level=warning msg="`vus=5` option will be ignored');
		expect(result.stdout).toContain('* default: 1 iterations for each of 1 VUs (maxDuration: 10m0s, gracefulStop: 30s)');
	}, 20_000);
});

describe('Given k6 v0.54 (FAKE_K6_FLAVOR=legacy) with -o statsd', () => {
	it('when it runs, then it warns about the deprecation and sends gauges with 6 decimals and no trailing newline', async () => {
		const result = await k6(['run', '-o', 'statsd', '--vus', '1', '--duration', '1s', SCRIPT], {FAKE_K6_FLAVOR: 'legacy'});
		expect(result.code).toBe(0);
		expect(result.stderr).toContain('level=warning msg="The statsd output is deprecated, and will be removed in k6 v0.55.0');
		const all = lines(result.datagrams);
		expect(all).toContain('k6.vus_max:1.000000|g');
		expect(result.datagrams.every(d => !d.toString().endsWith('\n'))).toBe(true);
	}, 20_000);
});

/** Decodes the literal-only snappy fake-k6 writes, then the WriteRequest's metric names. */
function remoteWriteNames(body: Buffer): string[] {
	let pos = 0;
	const varint = (buf: Buffer) => {
		let shift = 0;
		let value = 0;
		for (;;) {
			const byte = buf[pos++]!;
			value += (byte & 0x7f) * 2 ** shift;
			if (byte < 0x80) return value;
			shift += 7;
		}
	};
	const total = varint(body);
	const parts: Buffer[] = [];
	while (pos < body.length) {
		const tag = body[pos++]!;
		expect(tag & 3).toBe(0); // literal
		let len = tag >> 2;
		if (len === 60) len = body[pos++]!;
		else if (len === 61) {
			len = body.readUInt16LE(pos);
			pos += 2;
		}
		parts.push(body.subarray(pos, pos + len + 1));
		pos += len + 1;
	}
	const raw = Buffer.concat(parts);
	expect(raw.length).toBe(total);
	const names: string[] = [];
	const text = raw.toString('latin1');
	for (const m of text.matchAll(/__name__\x12.(k6_[a-z0-9_]+)/g)) names.push(m[1]!);
	return names;
}

describe('Given stock k6 with -o experimental-prometheus-rw', () => {
	it('when it runs, then it POSTs snappy protobuf with k6’s remote-write names to K6_PROMETHEUS_RW_SERVER_URL', async () => {
		const bodies: Buffer[] = [];
		const headers: http.IncomingHttpHeaders[] = [];
		const server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', c => chunks.push(c));
			req.on('end', () => {
				bodies.push(Buffer.concat(chunks));
				headers.push(req.headers);
				res.writeHead(204).end();
			});
		});
		await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
		const {port} = server.address() as {port: number};
		const result = await k6(['run', '-o', 'experimental-prometheus-rw', '--vus', '1', '--duration', '1s', SCRIPT], {
			FAKE_K6_FLAVOR: 'stock', K6_PROMETHEUS_RW_SERVER_URL: `http://127.0.0.1:${port}/api/v1/write`, K6_PROMETHEUS_RW_TREND_STATS: 'p(95),p(99.9)',
		});
		server.close();
		expect(result.code).toBe(0);
		expect(result.stdout).toContain(`output: Prometheus remote write (http://127.0.0.1:${port}/api/v1/write)`);
		expect(headers[0]).toMatchObject({'content-encoding': 'snappy', 'content-type': 'application/x-protobuf', 'x-prometheus-remote-write-version': '0.1.0'});
		const names = new Set(bodies.flatMap(remoteWriteNames));
		for (const name of ['k6_http_reqs_total', 'k6_http_req_duration_p95', 'k6_http_req_duration_p999', 'k6_http_req_failed_rate', 'k6_vus', 'k6_checks_rate', 'k6_iterations_total']) {
			expect(names, name).toContain(name);
		}
	}, 20_000);
});
