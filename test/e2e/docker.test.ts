import {execFile, spawnSync} from 'node:child_process';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {Snapshot} from '../../source/snapshot/types.js';
import type {StatusReport} from '../../source/stack/status-report.js';
import {describeUnless, requirePart} from '../support/components.js';
import {type Pane, tmuxServer} from '../support/tmux.js';

// `kmon up`, `kmon status` and `kmon down` against a real Docker engine, with the real stack/compose.yml and
// images built locally from the test stack's binaries (test/docker/build-images.sh: no registry needed).
// Self-contained: it starts the engine if none answers (root), builds the images, runs the stack on its
// own host ports (below) so it can run beside the local test stack (test/stack, default ports), and
// removes everything it started. Where no Docker engine can run, the suite is SKIPPED with the reason.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dockerDir = path.join(root, 'test', 'docker');
const run = promisify(execFile);

/** Host ports of the test's stack: the defaults + 20000, below the ephemeral range (see test/docker/README.md). */
const ports = {
	KMON_PROMETHEUS_PORT: '29090',
	KMON_KAFKA_EXPORTER_PORT: '29308',
	KMON_JMX_EXPORTER_PORT: '25556',
	KMON_CADVISOR_PORT: '28080',
	KMON_STATSD_PORT: '28125',
	KMON_STATSD_EXPORTER_PORT: '29102',
	KMON_DEMO_KAFKA_PORT: '29092',
};
const prometheus = `http://localhost:${ports.KMON_PROMETHEUS_PORT}`;
const env = {...process.env, ...ports, KMON_STACK_DIR: '', NO_COLOR: '1'};
const services = ['cadvisor', 'jmx-exporter', 'kafka', 'kafka-exporter', 'prometheus', 'statsd-exporter'];

// --- Can a Docker engine run here? Decided while collecting, so a skip is reported as a skip. ----------
const engineWasUp = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], {encoding: 'utf8'}).status === 0;
const engine = spawnSync('bash', [path.join(dockerDir, 'dockerd.sh'), 'start'], {encoding: 'utf8'});
// Exit 3: no engine can run on this machine (not root and none running), outside the project's reach.
const engineLimit = engine.status === 3
	? {file: fileURLToPath(import.meta.url), reason: `no Docker engine can run here: ${(/CANNOT RUN: (.*)/.exec(engine.stderr))?.[1] ?? engine.stderr.trim()}`}
	: undefined;

/** Compose files: the test override, plus a machine override when the engine cannot run privileged containers. */
function composeFiles(): string[] {
	const files = [path.join(dockerDir, 'compose.test.yml')];
	if (!canRunPrivileged()) {
		const machine = path.join(dockerDir, '.state', 'compose.machine.yml');
		mkdirSync(path.dirname(machine), {recursive: true});
		writeFileSync(machine, '# Written by test/e2e/docker.test.ts: this host\'s capability bounding set lacks capabilities\n'
		+ '# a privileged container asks for, so runc refuses one ("unable to apply caps").\n'
		+ 'services:\n  cadvisor:\n    privileged: false\n');
		console.warn('[docker e2e] this host cannot start privileged containers (capabilities missing from the bounding set): cAdvisor runs unprivileged here');
		files.push(machine);
	}

	return files.flatMap(file => ['--file', file]);
}

/** A privileged container gets every capability; runc fails when the engine's own bounding set lacks one. */
function canRunPrivileged(): boolean {
	try {
		const last = Number(readFileSync('/proc/sys/kernel/cap_last_cap', 'utf8'));
		const bounding = BigInt(`0x${/CapBnd:\s*([\da-f]+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]}`);
		const all = (1n << BigInt(last + 1)) - 1n;
		return (bounding & all) === all;
	} catch {
		return true;
	}
}

/** The compose CLI the current pass drives kmon with (environment additions). */
let cliEnv: NodeJS.ProcessEnv = {};

async function kmon(args: string[]): Promise<{code: number; stdout: string; stderr: string; ms: number}> {
	const started = Date.now();
	try {
		const {stdout, stderr} = await run('node', ['bin/kmon.js', ...args], {cwd: root, env: {...env, ...cliEnv}, maxBuffer: 64 * 1024 * 1024, timeout: 600_000});
		return {code: 0, stdout, stderr, ms: Date.now() - started};
	} catch (error) {
		const failure = error as {code: number; stdout: string; stderr: string};
		return {code: failure.code, stdout: failure.stdout, stderr: failure.stderr, ms: Date.now() - started};
	}
}

async function docker(args: string[]): Promise<string> {
	const {stdout} = await run('docker', args, {env: process.env});
	return stdout.trim();
}

async function projectContainers(): Promise<Array<{name: string; labels: string}>> {
	const out = await docker(['ps', '-a', '--filter', 'label=com.docker.compose.project=kmon', '--format', '{{.Names}}\t{{.Label "kmon.test"}}']);
	return out ? out.split('\n').map(line => {
		const [name = '', labels = ''] = line.split('\t');
		return {name, labels};
	}) : [];
}

async function projectNetworks(): Promise<string[]> {
	const out = await docker(['network', 'ls', '--filter', 'label=com.docker.compose.project=kmon', '--format', '{{.Name}}']);
	return out ? out.split('\n') : [];
}

async function portTaken(port: number): Promise<boolean> {
	return new Promise(resolve => {
		const server = net.createServer();
		server.once('error', () => {
			resolve(true);
		});
		server.listen(port, '127.0.0.1', () => {
			server.close(() => {
				resolve(false);
			});
		});
	});
}

async function promql(query: string): Promise<Array<{metric: Record<string, string>; value: number}>> {
	const response = await fetch(`${prometheus}/api/v1/query?${new URLSearchParams({query})}`);
	const body = await response.json() as {data: {result: Array<{metric: Record<string, string>; value: [number, string]}>}};
	return body.data.result.map(item => ({metric: item.metric, value: Number(item.value[1])}));
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let last: Error | undefined;
	for (;;) {
		try {
			const value = await probe();
			if (value !== undefined) {
				return value;
			}
		} catch (error) {
			last = error as Error;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 2000);
		});
	}
}

async function status(): Promise<{code: number; report: StatusReport; text: string}> {
	const json = await kmon(['status', '--json']);
	const text = await kmon(['status']);
	return {code: json.code, report: JSON.parse(json.stdout) as StatusReport, text: text.stdout};
}

let files: string[] = [];
let up: Awaited<ReturnType<typeof kmon>>;
/** DOCKER_CONFIG folder whose cli-plugins/ holds Compose v2 (test/docker/install-compose-v2.sh). */
let composeV2Config = '';

/** Both compose generations kmon supports: Debian's docker-compose 1.29, and the v2 plugin (`docker compose`). */
const clis = [
	{name: 'docker-compose 1.x', expected: /docker-compose 1\.\d+\.\d+/, env: () => ({KMON_COMPOSE: 'docker-compose'})},
	{name: 'the docker compose v2 plugin', expected: /docker compose 2\.\d+\.\d+/, env: () => ({DOCKER_CONFIG: composeV2Config})},
];

describeUnless(engineLimit, 'Given a Docker engine and the stack\'s images built locally', () => {
	beforeAll(async () => {
		requirePart('kafka-exporter');
		if (engine.status !== 0) {
			throw new Error(`test/docker/dockerd.sh start failed (exit ${engine.status}):\n${engine.stderr}`);
		}

		// bin/kmon.js runs dist/: build it from the current sources.
		await run('npx', ['tsc', '-p', 'tsconfig.json'], {cwd: root}).catch((error: unknown) => {
			console.warn(`[docker e2e] tsc reported errors (dist/ built anyway): ${String((error as {stdout?: string}).stdout ?? error).slice(0, 500)}`);
		});

		const built = Date.now();
		await run('bash', [path.join(dockerDir, 'build-images.sh')], {cwd: root, maxBuffer: 16 * 1024 * 1024, timeout: 900_000})
			.catch((error: unknown) => {
				throw new Error(`test/docker/build-images.sh failed:\n${String((error as {stderr?: string}).stderr ?? error)}`);
			});
		console.log(`[docker e2e] test/docker/build-images.sh: ${((Date.now() - built) / 1000).toFixed(1)} s`);
		composeV2Config = (await run('bash', [path.join(dockerDir, 'install-compose-v2.sh')], {cwd: root, timeout: 900_000})).stdout.trim();
		files = composeFiles();
	}, 1_800_000);

	afterAll(() => {
		// The engine stops if the test started it (KMON_DOCKER_KEEP=1 keeps it, e.g. to look around).
		if (!engineWasUp && !process.env['KMON_DOCKER_KEEP']) {
			spawnSync('bash', [path.join(dockerDir, 'dockerd.sh'), 'stop'], {stdio: 'inherit'});
		}
	}, 120_000);

	describe.each(clis)('when driven through $name', cli => {
		beforeAll(async () => {
			cliEnv = cli.env();
			const leftovers = await projectContainers();
			const foreign = leftovers.filter(container => container.labels !== 'docker-e2e');
			if (foreign.length > 0) {
				throw new Error(`containers of compose project kmon not started by this test exist (${foreign.map(container => container.name).join(', ')}): `
					+ 'a real kmon stack runs here; stop it (kmon down) before running this test');
			}

			if (leftovers.length > 0) {
				console.warn(`[docker e2e] removing containers left by an interrupted run: ${leftovers.map(container => container.name).join(', ')}`);
				await kmon(['down', '--volumes', ...files]);
			}

			const taken = [];
			for (const [name, port] of Object.entries(ports)) {
				if (await portTaken(Number(port))) {
					taken.push(`${port} (${name})`);
				}
			}

			if (taken.length > 0) {
				throw new Error(`host ports the test's stack needs are in use: ${taken.join(', ')}; free them (ss -ltnp) and run again`);
			}

			up = await kmon(['up', '--with-kafka', '--timeout', '5m', ...files]);
			console.log(`[docker e2e] kmon up --with-kafka (${cli.name}): ${(up.ms / 1000).toFixed(1)} s`);
			if (up.code !== 0) {
				throw new Error(`kmon up failed (exit ${up.code}):\n${up.stderr}\n${up.stdout}`);
			}
		}, 900_000);

		afterAll(async () => {
			// Whatever happened: nothing of the test's stack stays behind.
			const left = await projectContainers().catch(() => []);
			if (left.length > 0) {
				await kmon(['down', '--volumes', ...files]);
			}
		}, 300_000);

		test('then kmon up used that compose CLI, showed progress and printed the Prometheus URL', () => {
			expect(up.stderr).toMatch(cli.expected);
			expect(up.stderr).toMatch(/waiting for the services to be healthy/);
			expect(up.stderr).toMatch(/prometheus: running, healthy/);
			expect(up.stdout).toContain(`Prometheus: ${prometheus}`);
			expect(up.stdout).toContain(`kmon --prometheus ${prometheus}`);
		});

		test('then kmon status lists every compose service running and healthy, and every Prometheus target up', async () => {
			const {report, code} = await eventually('every target up', async () => {
				const current = await status();
				return current.report.ok ? current : undefined;
			}, 120_000);
			expect(code).toBe(0);
			expect(report.containers.map(container => container.service)).toEqual(services);
			for (const container of report.containers) {
				expect(container.state, container.name).toBe('running');
				expect(['healthy', 'none'], `${container.name}: ${container.health}`).toContain(container.health);
				expect(container.uptimeSeconds).toBeGreaterThan(0);
				expect(container.ports.every(port => port.hostIp === '127.0.0.1'), `${container.name} binds loopback only`).toBe(true);
			}

			// statsd_exporter's distroless image has no health check; everything else has one.
			expect(report.containers.filter(container => container.health === 'none').map(container => container.service)).toEqual(['statsd-exporter']);
			expect(report.prometheus).toEqual({url: prometheus, ready: true, error: null});
			expect(report.targets?.map(target => target.job).sort()).toEqual(['cadvisor', 'jmx-exporter', 'kafka-exporter', 'prometheus', 'statsd-exporter']);
			expect(report.targets?.every(target => target.health === 'up')).toBe(true);
		});

		test('then the exporters really reach the demo broker (kafka_exporter sees it, the JMX exporter reads its MBeans)', async () => {
			await eventually('kafka_brokers and broker MBeans', async () => {
				const brokers = await promql('kafka_brokers');
				const jmx = await promql('kafka_server_replicamanager_underreplicatedpartitions');
				return brokers[0]?.value === 1 && jmx.length > 0 ? true : undefined;
			});
		});

		test('then cAdvisor in its container reports the other containers with name labels and compose labels', async () => {
			const rows = await eventually('cAdvisor series for every service', async () => {
				const found = await promql('container_memory_working_set_bytes{container_label_com_docker_compose_project="kmon"}');
				return services.every(service => found.some(row => row.metric['container_label_com_docker_compose_service'] === service)) ? found : undefined;
			});
			const names = JSON.parse(await docker(['ps', '--filter', 'label=com.docker.compose.project=kmon', '--format', '{{json .Names}}'])
				.then(out => `[${out.split('\n').join(',')}]`)) as string[];
			for (const service of services) {
				const row = rows.find(candidate => candidate.metric['container_label_com_docker_compose_service'] === service);
				expect(names, service).toContain(row?.metric['name']);
				expect(row?.metric['image'], service).toBeTruthy();
			}
		});

		test('then kmon --once --json against the stack lists the containers by their compose service and Docker name', async () => {
			const snapshot = await eventually('a containers section with every service', async () => {
				const result = await kmon(['--once', '--json', '--prometheus', prometheus.replace('localhost', '127.0.0.1')]);
				const parsed = JSON.parse(result.stdout) as Snapshot;
				return parsed.containers.state === 'ok' && services.every(service => parsed.containers.state === 'ok'
					&& parsed.containers.data.containers.some(container => container.composeService === service))
					? parsed
					: undefined;
			});
			expect(snapshot.families.cadvisor).toBe('cadvisor-named');
			if (snapshot.containers.state !== 'ok') {
				return;
			}

			for (const service of services) {
				const container = snapshot.containers.data.containers.find(candidate => candidate.composeService === service);
				expect(container?.name, service).toBe(`kmon-${service}`);
				expect(container?.nameSource).toBe('name');
				expect(container?.composeProject).toBe('kmon');
			}
		});

		test('when one container is stopped by hand, then kmon status shows it exited, its target down, and exits 1', async () => {
			await docker(['stop', 'kmon-kafka-exporter']);
			const {report, code, text} = await eventually('the kafka-exporter target down', async () => {
				const current = await status();
				return current.report.targets?.find(target => target.job === 'kafka-exporter')?.health === 'down' ? current : undefined;
			}, 60_000);
			expect(code).toBe(1);
			expect(report.ok).toBe(false);
			const stopped = report.containers.find(container => container.service === 'kafka-exporter');
			expect(stopped).toMatchObject({state: 'exited', uptimeSeconds: null, ports: []});
			expect(report.containers.filter(container => container.service !== 'kafka-exporter').every(container => container.state === 'running')).toBe(true);
			expect(report.targets?.filter(target => target.health !== 'up').map(target => target.job)).toEqual(['kafka-exporter']);
			expect(text).toMatch(/^kafka-exporter\s+✗ exited \(\d+\)/m);
			expect(text).toMatch(/^prometheus\s+✓ running, healthy/m);
			expect(text).toMatch(/^kafka-exporter\s+✗ down/m);
			expect(text).toMatch(/Not all well: 1 container not running or not healthy, 1 target down\./);
		});

		test('when kmon down runs, then no container and no network of project kmon is left', async () => {
			const down = await kmon(['down', '--volumes', ...files]);
			expect(down.code, down.stderr).toBe(0);
			expect(down.stdout).toMatch(/removed 6 containers and network kmon, volumes deleted/);
			expect(await projectContainers()).toEqual([]);
			expect(await projectNetworks()).toEqual([]);
			expect(await docker(['volume', 'ls', '--filter', 'label=com.docker.compose.project=kmon', '--format', '{{.Name}}'])).toBe('');
			const after = await kmon(['status']);
			expect(after.code).toBe(1);
			expect(after.stdout).toMatch(/Not running: no containers of compose project kmon/);
			const again = await kmon(['down', ...files]);
			expect(again.code).toBe(0);
			expect(again.stdout).toMatch(/nothing to stop/);
		});
	});
	// The monitor's own way in: no Prometheus answers, Docker does, and u starts the stack in place.
	describe('when the monitor starts with no Prometheus answering and u is pressed', () => {
		const tmux = tmuxServer(`kmon-docker-e2e-${process.pid}`);
		let pane: Pane;

		beforeAll(async () => {
			cliEnv = {DOCKER_CONFIG: composeV2Config};
			expect(await projectContainers()).toEqual([]);
			// A fresh start: no Prometheus data or broker of an earlier block, so what shows is what u started.
			await kmon(['down', '--volumes', ...files]);
			// The same compose files kmon up got above, through the setting the monitor reads.
			const stackFiles = files.filter(file => file !== '--file').join(path.delimiter);
			pane = tmux.open('u', `node bin/kmon.js --prometheus ${prometheus}`, {columns: 120, rows: 40},
				{...ports, NO_COLOR: '1', KMON_STACK_FILES: stackFiles, DOCKER_CONFIG: composeV2Config, KMON_STACK_DIR: ''});
		}, 60_000);

		afterAll(async () => {
			tmux.stop();
			// The demo's stop keeps its volumes, as kmon down does; the test leaves none.
			await kmon(['down', '--volumes', ...files]);
		}, 300_000);

		test('then the screen offers u, u shows the stack coming up, and kmon attaches by itself', async () => {
			await pane.waitFor('u starts the stack with Docker (kmon up --with-kafka: KMON_KAFKA_BROKERS unset)', 30_000);
			pane.keys('u');
			await pane.waitFor(/starting the monitoring stack/, 20_000);
			await pane.waitFor(/data <5s old/, 300_000);
			// Once u's kmon up is done the header names Prometheus again, instead of the stack's progress.
			await pane.waitFor(`kmon 0.1.0 · ${prometheus}`, 300_000);
			expect(pane.capture()).not.toContain('cannot reach Prometheus');
		}, 660_000);

		test('then a consumer group on the demo broker shows on the Kafka tab', async () => {
			// A group of the test's own on the broker u started (its EXTERNAL listener on the host).
			const bootstrap = `127.0.0.1:${ports.KMON_DEMO_KAFKA_PORT}`;
			await eventually('the demo broker to take messages', async () =>
				run('sh', ['-c', `seq 1 500 | kcat -P -b ${bootstrap} -t kmon-u-test`], {timeout: 60_000}).then(() => true), 120_000);
			await run('kcat', ['-C', '-b', bootstrap, '-G', 'kmon-u-group', '-o', 'beginning', '-c', '100', '-e', 'kmon-u-test'], {timeout: 60_000});
			pane.keys('2');
			const screen = await pane.waitFor(/kmon-u-group +kmon-u-test/, 120_000);
			expect(screen).toContain('[2 Kafka]');
		}, 180_000);

		test('then kmon down leaves nothing of it', async () => {
			pane.keys('q');
			await pane.waitFor('KMON_EXIT=0', 30_000);
			const down = await kmon(['down', '--volumes', ...files]);
			expect(down.code, down.stderr).toBe(0);
			expect(await projectContainers()).toEqual([]);
			expect(await projectNetworks()).toEqual([]);
		}, 120_000);
	});

	describe('when kmon demo runs with Docker', () => {
		const tmux = tmuxServer(`kmon-demo-e2e-${process.pid}`);
		let pane: Pane;

		beforeAll(async () => {
			cliEnv = {DOCKER_CONFIG: composeV2Config};
			expect(await projectContainers()).toEqual([]);
			await kmon(['down', '--volumes', ...files]);
			const stackFiles = files.filter(file => file !== '--file').join(path.delimiter);
			pane = tmux.open('demo', 'node bin/kmon.js demo --docker', {columns: 120, rows: 40},
				{...ports, NO_COLOR: '1', KMON_STACK_FILES: stackFiles, DOCKER_CONFIG: composeV2Config, KMON_STACK_DIR: '', PATH: process.env['PATH'] ?? ''});
		}, 60_000);

		afterAll(async () => {
			tmux.stop();
			// The demo's stop keeps its volumes, as kmon down does; the test leaves none.
			await kmon(['down', '--volumes', ...files]);
		}, 300_000);

		test('then the monitor opens on the demo and its lagging groups show on the Kafka tab', async () => {
			await pane.waitFor(/data <5s old/, 360_000);
			pane.keys('2');
			const screen = await pane.waitFor(/kmon-lagging +kmon-demo[\s\S]*kmon-stopped +kmon-demo|kmon-stopped +kmon-demo[\s\S]*kmon-lagging +kmon-demo/, 180_000);
			expect(screen).toContain('[2 Kafka]');
		}, 600_000);

		test('when q is pressed and the question answered with Enter, then the stack is stopped and nothing of it is left', async () => {
			pane.keys('q');
			await pane.waitFor('Leave it running? [y/N]', 30_000);
			pane.keys('Enter');
			await pane.waitFor('KMON_EXIT=0', 180_000);
			expect(pane.joined()).toContain('kmon demo: stopping the stack');
			expect(await projectContainers()).toEqual([]);
			expect(await projectNetworks()).toEqual([]);
		}, 240_000);
	});
});
