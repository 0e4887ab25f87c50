// The user-facing stack (stack/) checked by the real tools: promtool, a Compose CLI, statsd_exporter
// and the JMX exporter. The tools come from the test stack's installer (Debian's `prometheus` and
// `docker-compose` packages; statsd_exporter and the JMX exporter jar in the stack cache). A missing
// tool fails the test with what to install: nothing here passes without the tool having said yes.
import {spawn, spawnSync, type SpawnSyncReturns} from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const stack = path.join(root, 'stack');
const cache = process.env.KMON_STACK_CACHE ?? path.join(os.homedir(), '.cache', 'kmon-stack');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kmon-stack-config-'));

afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}));

function run(command: string, args: string[], options: {env?: NodeJS.ProcessEnv; input?: string; cwd?: string} = {}): SpawnSyncReturns<string> {
	const result = spawnSync(command, args, {encoding: 'utf8', cwd: options.cwd ?? root, env: options.env ?? process.env, input: options.input, timeout: 60_000});
	if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
		throw new Error(`${command} is not installed: run the test stack installer (npm run stack:up installs ${installHint(command)})`);
	}
	return result;
}

function installHint(command: string) {
	if (command === 'promtool') return "Debian's prometheus package";
	if (command === 'docker-compose') return "Debian's docker-compose package";
	if (command === 'python3') return 'python3 with python3-yaml (a dependency of docker-compose)';
	return command;
}

/** YAML to JSON through python3-yaml, which Debian's docker-compose depends on. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- YAML of any shape, probed by the tests
function yaml(text: string): any {
	const result = run('python3', ['-c', 'import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], {input: text});
	if (result.status !== 0) throw new Error(`python3-yaml could not read YAML: ${result.stderr}`);
	return JSON.parse(result.stdout);
}

function compose(args: string[], env: Record<string, string> = {}) {
	// No inherited KMON_* values: the file's own defaults are under test.
	// Nor a developer's stack/.env: an empty env file unless the test names one.
	const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KMON_') && k !== 'COMPOSE_PROJECT_NAME'));
	const emptyEnv = path.join(tmp, 'empty.env');
	fs.writeFileSync(emptyEnv, '');
	const envFile = args.includes('--env-file') ? [] : ['--env-file', emptyEnv];
	return run('docker-compose', ['-f', path.join(stack, 'compose.yml'), ...envFile, ...args], {env: {...clean, ...env}, cwd: tmp});
}

describe('Given stack/prometheus.yml', () => {
	it('when promtool checks it, then it is a valid Prometheus configuration', () => {
		const result = run('promtool', ['check', 'config', path.join(stack, 'prometheus.yml')]);
		expect(result.stdout + result.stderr).toContain('SUCCESS');
		expect(result.status).toBe(0);
	});

	it('when promtool checks a broken copy, then it refuses it (the check can fail)', () => {
		const broken = path.join(tmp, 'prometheus-broken.yml');
		fs.writeFileSync(broken, fs.readFileSync(path.join(stack, 'prometheus.yml'), 'utf8').replace('scrape_interval: 5s', 'scrape_interval: soon'));
		expect(run('promtool', ['check', 'config', broken]).status).not.toBe(0);
	});

	const config = () => yaml(fs.readFileSync(path.join(stack, 'prometheus.yml'), 'utf8'));

	it('when read, then it scrapes every 5 s', () => {
		expect(config().global.scrape_interval).toBe('5s');
	});

	it.each([
		['prometheus', 'localhost:9090'],
		['kafka-exporter', 'kafka-exporter:9308'],
		['jmx-exporter', 'jmx-exporter:5556'],
		['cadvisor', 'cadvisor:8080'],
		['statsd-exporter', 'statsd-exporter:9102'],
	])('when read, then job %s scrapes %s', (job, target) => {
		const scrape = config().scrape_configs.find((c: {job_name: string}) => c.job_name === job);
		expect(scrape?.static_configs?.[0]?.targets).toEqual([target]);
	});

	it('when read, then it has exactly the five jobs of PORTS.md', () => {
		expect(config().scrape_configs.map((c: {job_name: string}) => c.job_name).sort()).toEqual(['cadvisor', 'jmx-exporter', 'kafka-exporter', 'prometheus', 'statsd-exporter']);
	});
});

describe('Given stack/compose.yml', () => {
	const rendered = (args: string[] = [], env: Record<string, string> = {}) => {
		const result = compose([...args, 'config'], env);
		expect(result.stderr).not.toMatch(/error|invalid/i);
		expect(result.status).toBe(0);
		return yaml(result.stdout);
	};

	it('when docker-compose renders it without a profile, then it parses with the five monitoring services', () => {
		const services = Object.keys(rendered().services);
		expect(services).toEqual(expect.arrayContaining(['prometheus', 'kafka-exporter', 'jmx-exporter', 'cadvisor', 'statsd-exporter']));
	});

	it('when docker-compose renders it with --profile kafka, then it parses and the broker is only in that profile', () => {
		const config = rendered(['--profile', 'kafka']);
		expect(config.services.kafka.profiles).toEqual(['kafka']);
		expect(config.services.kafka.image).toBe('apache/kafka:4.3.1');
		expect(config.services.kafka.environment.KAFKA_JMX_OPTS).toContain('-Dcom.sun.management.jmxremote.port=9999');
		// The healthcheck's CLI tool inherits the broker's JMX options unless it clears them, and then fails on the taken port.
		expect(config.services.kafka.healthcheck.test.join(' ')).toMatch(/KAFKA_JMX_OPTS= \/opt\/kafka\/bin\/kafka-broker-api-versions\.sh/);
		expect(config.services.kafka.environment.KAFKA_LOG_DIRS).toBe('/var/lib/kafka/data');
		expect(config.services.kafka.volumes.map((v: string | {target: string}) => (typeof v === 'string' ? v.split(':')[1] : v.target))).toContain('/var/lib/kafka/data');
		for (const name of ['prometheus', 'kafka-exporter', 'jmx-exporter', 'cadvisor', 'statsd-exporter']) {
			expect(config.services[name].profiles, name).toBeUndefined();
		}
	});

	it('when a broken copy is rendered, then docker-compose refuses it (the check can fail)', () => {
		const broken = path.join(tmp, 'compose-broken.yml');
		fs.writeFileSync(broken, fs.readFileSync(path.join(stack, 'compose.yml'), 'utf8').replace('services:', 'servicez:'));
		expect(run('docker-compose', ['-f', broken, 'config'], {cwd: tmp}).status).not.toBe(0);
	});

	it.each([
		['prometheus', /^prom\/prometheus:v\d+\.\d+\.\d+$/],
		['kafka-exporter', /^danielqsj\/kafka-exporter:v\d+\.\d+\.\d+$/],
		['jmx-exporter', /^kmon\/jmx-exporter:\d+\.\d+\.\d+$/],
		['cadvisor', /^ghcr\.io\/google\/cadvisor:v\d+\.\d+\.\d+$/],
		['statsd-exporter', /^prom\/statsd-exporter:v\d+\.\d+\.\d+(-distroless)?$/],
		['kafka', /^apache\/kafka:\d+\.\d+\.\d+$/],
	])('when rendered, then service %s is pinned to an exact version', (service, image) => {
		expect(rendered(['--profile', 'kafka']).services[service].image).toMatch(image);
	});

	it.each([
		['prometheus', '9090', '9090', 'tcp'],
		['kafka-exporter', '9308', '9308', 'tcp'],
		['jmx-exporter', '5556', '5556', 'tcp'],
		['cadvisor', '8080', '8080', 'tcp'],
		['statsd-exporter', '8125', '9125', 'udp'],
		['statsd-exporter', '9102', '9102', 'tcp'],
	])('when rendered with no .env, then %s publishes host port %s (-> %s/%s) on loopback only', (service, published, target, protocol) => {
		// docker-compose 1.x renders a port with a host address as "ip:published:target/protocol"; compose-go as an object.
		const ports = (rendered().services[service].ports as Array<string | {host_ip?: string; published: number | string; target: number | string; protocol?: string}>)
			.map(port => typeof port === 'string'
				? (([, hostIp, hostPort, containerPort, proto]) => ({host_ip: hostIp, published: hostPort, target: containerPort, protocol: proto}))(/^(?:(.+):)?(\d+):(\d+)(?:\/(\w+))?$/.exec(port) ?? [])
				: port);
		expect(ports.some(port => String(port.published) === published && String(port.target) === target && (port.protocol ?? 'tcp') === protocol && port.host_ip === '127.0.0.1')).toBe(true);
	});

	it('when rendered, then Prometheus accepts remote write (for a stock k6) and the stack network defaults to `kmon`', () => {
		const config = rendered();
		expect(config.services.prometheus.command).toContain('--web.enable-remote-write-receiver');
		expect(config.networks.default).toMatchObject({name: 'kmon', external: false});
	});

	it('when cAdvisor is rendered, then it has the mounts and device of its documented docker run', () => {
		const cadvisor = rendered().services.cadvisor;
		expect(cadvisor.privileged).toBe(true);
		expect(cadvisor.devices).toEqual(['/dev/kmsg:/dev/kmsg']);
		const volumes = cadvisor.volumes.map((v: string | {source: string; target: string; read_only?: boolean}) =>
			typeof v === 'string' ? v : `${v.source}:${v.target}${v.read_only ? ':ro' : ''}`);
		expect(volumes).toEqual(expect.arrayContaining(['/:/rootfs:ro', '/var/run:/var/run:ro', '/sys:/sys:ro', '/var/lib/docker:/var/lib/docker:ro', '/dev/disk:/dev/disk:ro']));
	});

	it('when the user sets KMON_* values, then they reach the services without editing the YAML', () => {
		const config = rendered(['--profile', 'kafka'], {
			KMON_KAFKA_BROKERS: 'b1:9092,b2:9092', KMON_KAFKA_JMX: 'b1:7071', KMON_NETWORK: 'shop_default', KMON_NETWORK_EXTERNAL: 'true',
		});
		expect(config.services['kafka-exporter'].environment.KMON_KAFKA_BROKERS).toBe('b1:9092,b2:9092');
		expect(config.services['jmx-exporter'].environment.KMON_KAFKA_JMX).toBe('b1:7071');
		expect(config.networks.default).toMatchObject({name: 'shop_default', external: true});
	});

	it('when .env.example is used as the .env, then compose renders with it', () => {
		expect(rendered(['--env-file', path.join(stack, '.env.example'), '--profile', 'kafka']).services.prometheus).toBeDefined();
	});

	it('when compose.yml reads a KMON_* variable, then .env.example documents it', () => {
		const used = new Set([...fs.readFileSync(path.join(stack, 'compose.yml'), 'utf8').matchAll(/\$\{(KMON_[A-Z0-9_]+)/g)].map(m => m[1]));
		const documented = new Set([...fs.readFileSync(path.join(stack, '.env.example'), 'utf8').matchAll(/^(KMON_[A-Z0-9_]+)=/gm)].map(m => m[1]));
		expect(used.size).toBeGreaterThan(5);
		expect([...used].filter(v => !documented.has(v))).toEqual([]);
	});
});

describe('Given stack/statsd-mapping.yml', () => {
	const binary = path.join(cache, 'bin', 'statsd_exporter');

	function statsdExporter(args: string[]) {
		if (!fs.existsSync(binary)) {
			throw new Error(`statsd_exporter is not installed at ${binary}: run the test stack installer (npm run stack:up)`);
		}
		return run(binary, args);
	}

	it('when the real statsd_exporter checks it, then it is accepted', () => {
		const result = statsdExporter(['--statsd.mapping-config', path.join(stack, 'statsd-mapping.yml'), '--check-config']);
		expect(result.stderr + result.stdout).toContain('Configuration check successful');
		expect(result.status).toBe(0);
	});

	it('when it checks a broken copy, then it refuses it (the check can fail)', () => {
		const broken = path.join(tmp, 'statsd-broken.yml');
		fs.writeFileSync(broken, fs.readFileSync(path.join(stack, 'statsd-mapping.yml'), 'utf8').replaceAll('observer_type: histogram', 'observer_type: sundial'));
		expect(statsdExporter(['--statsd.mapping-config', broken, '--check-config']).status).not.toBe(0);
	});
});

async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});
}

describe('Given stack/jmx-exporter.yml and the jmx-exporter image’s entrypoint', () => {
	const rules = fs.readFileSync(path.join(stack, 'jmx-exporter.yml'), 'utf8');

	it('when read, then it holds rules but no hostPort or jmxUrl, so every setup can prepend its own', () => {
		expect(rules).not.toMatch(/^\s*(hostPort|jmxUrl)\s*:/m);
		expect(yaml(rules).rules.length).toBeGreaterThan(10);
	});

	it('when the entrypoint starts, then it writes hostPort from KMON_KAFKA_JMX in front of the rules', () => {
		const bin = path.join(tmp, 'bin');
		fs.mkdirSync(bin, {recursive: true});
		// A stand-in `java` that prints the configuration file it was given (its last argument).
		fs.writeFileSync(path.join(bin, 'java'), '#!/bin/sh\nfor last; do :; done\ncat "$last"\n', {mode: 0o755});
		const env = {PATH: `${bin}:${process.env.PATH}`, KMON_KAFKA_JMX: 'broker-1:9999', KMON_JMX_RULES: path.join(stack, 'jmx-exporter.yml')};
		const result = run('sh', [path.join(stack, 'jmx-exporter', 'entrypoint.sh')], {env});
		expect(result.status).toBe(0);
		expect(yaml(result.stdout)).toMatchObject({hostPort: 'broker-1:9999', lowercaseOutputName: true});
		const missing = run('sh', [path.join(stack, 'jmx-exporter', 'entrypoint.sh')], {env: {PATH: env.PATH}});
		expect(missing.status).not.toBe(0);
		expect(missing.stderr).toContain('KMON_KAFKA_JMX');
	});

	it('when the real jmx_prometheus_httpserver 1.0.1 scrapes a JVM over remote JMX with these rules, then heap and GC series appear', async () => {
		const jar = path.join(cache, 'jmx', 'jmx_prometheus_httpserver-1.0.1.jar');
		if (!fs.existsSync(jar)) throw new Error(`the JMX exporter jar is not at ${jar}: run the test stack installer (npm run stack:up)`);
		const [jmxPort, httpPort] = [await freePort(), await freePort()];
		const config = path.join(tmp, 'jmx.yml');
		fs.writeFileSync(config, `hostPort: 127.0.0.1:${jmxPort}\n${rules}`);
		// The exporter's own JVM, with remote JMX on, is the JVM it scrapes.
		const child = spawn('java', [
			`-Dcom.sun.management.jmxremote.port=${jmxPort}`, `-Dcom.sun.management.jmxremote.rmi.port=${jmxPort}`,
			'-Dcom.sun.management.jmxremote.authenticate=false', '-Dcom.sun.management.jmxremote.ssl=false',
			'-Djava.rmi.server.hostname=127.0.0.1', '-Xmx96m', '-jar', jar, `127.0.0.1:${httpPort}`, config,
		], {stdio: 'ignore'});
		try {
			let text = '';
			for (let i = 0; i < 60 && !text.includes('jvm_gc_collection_seconds_count{'); i += 1) {
				await new Promise(r => setTimeout(r, 500));
				text = await fetch(`http://127.0.0.1:${httpPort}/metrics`).then(r => r.text(), () => '');
			}
			expect(text).toMatch(/^jvm_memory_used_bytes\{area="heap"\} \S+$/m);
			expect(text).toMatch(/^jvm_memory_max_bytes\{area="heap"\} \S+$/m);
			expect(text).toMatch(/^jvm_gc_collection_seconds_sum\{gc="[^"]+"\} \S+$/m);
			expect(text).toMatch(/^jvm_gc_collection_seconds_count\{gc="[^"]+"\} \S+$/m);
			expect(text).toMatch(/^jmx_scrape_error 0\.0$/m);
		} finally {
			child.kill('SIGKILL');
		}
	}, 60_000);
});
