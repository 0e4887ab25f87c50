import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {prometheusUrl} from '../support/stack.js';

// `r` and `x` in the real monitor, in tmux, with the fake k6 sending to the real statsd_exporter.
const socket = `kmon-e2e-runs-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
const state = mkdtempSync(path.join(tmpdir(), 'kmon-runs-ui-'));
const k6 = path.resolve('test/stack/fake-k6/k6.js');

afterAll(() => {
	try {
		tmux('kill-server');
	} catch {}
});

const capture = (name: string) => tmux('capture-pane', '-p', '-t', name, '-S', '-40');
async function waitFor(name: string, what: RegExp, timeoutMs = 20_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const text = capture(name);
		if (what.test(text)) {
			return text;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${String(what)}; the screen:\n${text}`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 200);
		});
	}
}

const k6Processes = () => execFileSync('ps', ['-eo', 'args'], {encoding: 'utf8'}).split('\n').filter(line => line.includes(`${k6} run`)).length;

describe('Given the monitor started with a k6 script', () => {
	test('when r is pressed twice, a run starts with tags on; q asks first; x then q stops it and leaves no k6 behind', async () => {
		const name = 'runs';
		const command = `K6_BIN='${k6}' XDG_STATE_HOME='${state}' node bin/kmon.js --prometheus '${prometheusUrl}' --k6-script stack/k6/example.js; echo KMON_EXIT=$?; sleep 600`;
		tmux('new-session', '-d', '-s', name, '-x', '220', '-y', '40', '-e', 'LANG=C.UTF-8', 'sh', '-c', command);
		await waitFor(name, /^kmon /m);
		tmux('send-keys', '-t', name, '4');
		tmux('send-keys', '-t', name, 'r');
		await waitFor(name, /press r again to run: k6 run -o output-statsd/);
		tmux('send-keys', '-t', name, 'r');
		await waitFor(name, /k6 running \d+s · \d+\/\d+ VUs/);
		expect(k6Processes()).toBe(1);

		tmux('send-keys', '-t', name, 'q');
		await waitFor(name, /a k6 run is going on: q again quits/);
		tmux('send-keys', '-t', name, 'x');
		tmux('send-keys', '-t', name, 'q');
		// kmon sees the stop through and writes the run's summary before it exits.
		await waitFor(name, /KMON_EXIT=0/, 60_000);
		expect(k6Processes()).toBe(0);

		const [folder] = readdirSync(path.join(state, 'kmon', 'runs'));
		const run = JSON.parse(readFileSync(path.join(state, 'kmon', 'runs', folder!, 'run.json'), 'utf8')) as {state: string; envSet: unknown; exit?: {code: number}};
		expect(JSON.stringify(run)).toContain('K6_STATSD_ENABLE_TAGS');
		expect(run.state).toBe('finished');
	}, 120_000);
});
