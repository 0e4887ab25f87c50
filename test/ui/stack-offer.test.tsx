import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, test} from 'vitest';
import {answered, failing, recorded, renderApp} from './render-app.js';

afterEach(() => {
	cleanup();
});

/** Stack controls as the monitor gets them, answering with the line given. */
function offer(line: string) {
	const calls: string[] = [];
	const listeners = new Set<() => void>();
	let current: string | null = null;
	return {
		calls,
		controls: {
			status: () => current,
			subscribe(listener: () => void) {
				listeners.add(listener);
				return () => listeners.delete(listener);
			},
			check() {
				calls.push('check');
				current = line;
				for (const listener of listeners) {
					listener();
				}
			},
			start() {
				calls.push('start');
			},
		},
	};
}

describe('Given Prometheus does not answer (recorded: prometheus-unreachable)', () => {
	test('when the screen shows, then it asks whether Docker could start the stack and shows the offer under the error', async () => {
		const stack = offer('Prometheus does not answer: u starts the monitoring stack with Docker (kmon up)');
		const screen = await renderApp(failing(recorded('prometheus-unreachable'), null), {stack: stack.controls});
		expect(stack.calls).toContain('check');
		expect(screen.frame()).toMatch(/cannot reach Prometheus[\s\S]*u starts the monitoring stack with Docker/);
	});

	test('when u is pressed, then the stack is started', async () => {
		const stack = offer('Prometheus does not answer: u starts the monitoring stack with Docker (kmon up)');
		const screen = await renderApp(failing(recorded('prometheus-unreachable'), null), {stack: stack.controls});
		await screen.press('u');
		expect(stack.calls).toEqual(['check', 'start']);
	});
});

describe('Given Prometheus answers', () => {
	test('then nothing is offered and nothing is checked', async () => {
		const stack = offer('Prometheus does not answer: u starts the monitoring stack with Docker (kmon up)');
		const screen = await renderApp(answered(recorded('stack-during-k6-run')), {stack: stack.controls});
		expect(stack.calls).toEqual([]);
		expect(screen.frame()).not.toContain('u starts');
	});
});
