import {execFile, execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {existsSync, mkdirSync, rmdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {Snapshot} from '../../source/snapshot/types.js';
import {stackCache, whyMissing} from '../support/components.js';
import {aStepAgo, eventually, kmon, prometheusUrl, promql} from '../support/stack.js';
import {k6Request, sendStatsd} from '../support/statsd.js';
import {sleep, type TmuxServer, tmuxServer} from '../support/tmux.js';

// Text from outside carrying terminal controls, through the real components of the test stack (issue 19): a k6
// tag value through statsd_exporter, a consumer group id through Kafka and kafka_exporter, a container name
// through cAdvisor (a cgroup of that name). Each is an escape sequence that would set the terminal's title
// (OSC 0, ended by BEL) and clear the screen (CSI 2J), and the bidi override U+202E. kmon must show them as
// visible escapes in its monitor and its text, and keep them exact in its JSON.

const run = promisify(execFile);
const controls = '\u001B]0;PWNED\u0007\u001B[2J\u202Ex';
const shownControls = '\\e]0;PWNED\\x07\\e[2J\\u202ex';
const tagValue = `evil${controls}`;
const groupId = `kmon-evil-group${controls}`;
const cgroupName = `kmon-evil-ctr${controls}`;
const scenario = `untrusted-${process.pid}`;
const tags = `|#name:${tagValue},method:GET,status:200,scenario:${scenario}`;
const anyControl = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

// The test stack's cgroups (test/stack/lib.sh): cAdvisor reports each cgroup under them as a container.
const cgroupControllers = ['cpu', 'cpuacct', 'memory', 'blkio', 'pids'];
const cgroupDirs = cgroupControllers.map(controller => path.join('/sys/fs/cgroup', controller, 'kmon-test', cgroupName));
const kafkaLibs = path.join(stackCache, 'kafka-4.3.1', 'libs');

let server: TmuxServer;
let sender: NodeJS.Timeout | undefined;
let cgroupMember: ChildProcess | undefined;

/**
 * A consumer group with committed offsets: kcat reads for a few seconds and commits as it leaves on SIGINT.
 * Resolves with whether it read (exit 124: stopped by the timeout); a new group's first subscription now and
 * then fails at once with "Subscribed topic not available", so the caller tries again.
 */
async function readAsGroup(id: string): Promise<boolean> {
	const reader = spawn('timeout', ['--foreground', '-s', 'INT', '6', 'kcat', '-C', '-q', '-b', '127.0.0.1:9092', '-G', id, '-X', 'auto.offset.reset=earliest', 'kmon-demo'], {stdio: 'ignore'});
	const code = await new Promise<number | null>(resolve => {
		reader.on('exit', resolve);
	});
	return code === 124;
}

async function deleteGroup(id: string): Promise<void> {
	await run('java', ['-Xmx128m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-cp', `${kafkaLibs}/*`,
		'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', '--bootstrap-server', '127.0.0.1:9092', '--delete', '--group', id]);
}

/**
 * A cgroup named with the controls in every controller cAdvisor reads, holding one process. cAdvisor has a
 * CPU series only for a cgroup that used some CPU: the process counts a while once it is in, then sleeps.
 */
function createCgroup(): void {
	const why = existsSync('/sys/fs/cgroup/cpu/kmon-test') ? undefined : 'no /sys/fs/cgroup/cpu/kmon-test: the test stack runs without its cgroups (cgroup v1 and root needed)';
	expect(why).toBeUndefined();
	const member = spawn('sh', ['-c', 'read go; i=0; while [ $i -lt 50000 ]; do i=$((i+1)); done; exec sleep 600'], {stdio: ['pipe', 'ignore', 'ignore']});
	cgroupMember = member;
	for (const dir of cgroupDirs) {
		mkdirSync(dir, {recursive: true});
		writeFileSync(path.join(dir, 'cgroup.procs'), String(member.pid));
	}

	member.stdin.end('go\n');
}

function removeCgroup(): void {
	cgroupMember?.kill();
	for (const dir of cgroupDirs) {
		for (let attempt = 0; attempt < 20 && existsSync(dir); attempt++) {
			try {
				rmdirSync(dir);
			} catch {
				// Busy until the sleep has exited.
				execFileSync('sleep', ['0.1']);
			}
		}
	}
}

beforeAll(async () => {
	const ready = await fetch(`${prometheusUrl}/-/ready`).then(response => response.ok, () => false);
	if (!ready) {
		throw new Error(`no Prometheus at ${prometheusUrl}: start the test stack first (npm run stack:up)`);
	}

	expect(whyMissing('kafka-exporter')).toBeUndefined();
	await run('npx', ['tsc', '-p', '.']);
	server = tmuxServer(`kmon-e2e-untrusted-${process.pid}`);
	// k6 keeps sending while the tests look, so the tag value keeps a rate and stays among the busiest rows.
	sender = setInterval(() => {
		void sendStatsd(k6Request(tags, 50));
	}, 1000);
	createCgroup();
	await eventually('kcat to read kmon-demo as the group', async () => await readAsGroup(groupId) ? true : undefined);
	await eventually('the tag value, the group and the container to be in Prometheus', async () => {
		const [tag, group, container] = await Promise.all([
			promql(`rate(k6_http_reqs{scenario="${scenario}"}[1m]) > 0`, aStepAgo()),
			promql(`kafka_consumergroup_lag_sum{consumergroup=${JSON.stringify(groupId)}}`, aStepAgo()),
			promql(`container_cpu_usage_seconds_total{id=${JSON.stringify(`/kmon-test/${cgroupName}`)}}`, aStepAgo()),
		]);
		return tag.length > 0 && group.length > 0 && container.length > 0 ? true : undefined;
	});
}, 180_000);

afterAll(async () => {
	clearInterval(sender);
	server?.stop();
	removeCgroup();
	await deleteGroup(groupId).catch(() => undefined);
}, 60_000);

describe('Given a k6 tag value, a consumer group and a container whose names carry escape sequences and a bidi override', () => {
	test('when kmon --once prints text, then each shows as visible escapes and no control character is printed', async () => {
		const result = await kmon(['--once', '--prometheus', prometheusUrl]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).not.toMatch(anyControl);
		for (const name of ['evil', 'kmon-evil-group', 'kmon-evil-ctr']) {
			expect(result.stdout).toContain(`${name}${shownControls}`);
		}
	});

	test('when kmon --once --json prints them, then the JSON holds each exactly as it came, JSON-escaped', async () => {
		const result = await kmon(['--once', '--json', '--prometheus', prometheusUrl]);
		expect(result.code, result.stderr).toBe(0);
		expect(result.stdout).not.toMatch(anyControl);
		const snapshot = JSON.parse(result.stdout) as Snapshot;
		expect(snapshot.k6.state === 'ok' && snapshot.k6.data.byTag.some(row => row.value === tagValue)).toBe(true);
		expect(snapshot.kafka.state === 'ok' && snapshot.kafka.data.groups.some(group => group.group === groupId)).toBe(true);
		expect(snapshot.containers.state === 'ok' && snapshot.containers.data.containers.some(container => container.name === cgroupName)).toBe(true);
	});

	test('when the monitor shows them in tmux, then the screen is not cleared, the pane title is not changed, and the escapes are visible', async () => {
		const pane = server.open('untrusted', `node bin/kmon.js --prometheus '${prometheusUrl}'`, {columns: 160, rows: 45});
		const title = pane.flag('#{pane_title}');
		await pane.waitFor('data <5s old');
		for (const [key, name, content] of [['4', 'evil', 'K6 TOTALS'], ['2', 'kmon-evil-group', 'CONSUMER GROUPS'], ['3', 'kmon-evil-ctr', 'CONTAINERS']] as const) {
			pane.keys(key);
			const intact = (lines: string[]) => {
				expect(lines[0], 'the header line').toMatch(/^kmon \d+\.\d+\.\d+ · /);
				expect(lines.some(line => line.includes(content)), `a line with ${content}`).toBe(true);
				expect(lines.some(line => line.includes('q quit')), 'the footer').toBe(true);
				expect(lines.join('\n')).toContain(`${name}${shownControls}`);
			};

			await pane.waitUntil(intact);
			// Two polls later: a clear carried by the row would have wiped every line drawn before it since.
			await sleep(4500);
			intact(pane.lines());
			expect(pane.flag('#{pane_title}'), 'the pane title').toBe(title);
		}

		expect(title).not.toContain('PWNED');
	}, 90_000);

	test('when kmon --once prints to a terminal, then the pane title is not changed and the report is not cleared', async () => {
		const pane = server.open('untrusted-once', `node bin/kmon.js --once --prometheus '${prometheusUrl}'`, {columns: 200, rows: 150});
		const title = pane.flag('#{pane_title}');
		await pane.waitFor('KMON_EXIT=0');
		expect(pane.flag('#{pane_title}'), 'the pane title').toBe(title);
		expect(pane.lines()[0], pane.capture()).toMatch(/^kmon · /);
		for (const name of ['evil', 'kmon-evil-group', 'kmon-evil-ctr']) {
			expect(pane.capture()).toContain(`${name}${shownControls}`);
		}
	}, 30_000);
});

describe('Given a topic name with escape sequences', () => {
	test('when a client asks Kafka for it, then Kafka refuses the name: topic names are only [a-zA-Z0-9._-], so none reaches kmon', async () => {
		const {stdout} = await run('kcat', ['-L', '-b', '127.0.0.1:9092', '-t', `kmon-evil-topic${controls}`]);
		expect(stdout).toContain('Broker: Invalid topic');
	});
});
