import {describe, expect, test} from 'vitest';
import {describeRunState} from '../../../source/k6/describe-run-state.js';
import type {RunState} from '../../../source/k6/run-controller.js';

const base: RunState = {
	status: 'running',
	run: {id: '20260102T100000Z-load', folder: '/f', script: '/s/load.js', command: ['k6', 'run', '/s/load.js'], pid: 4242, startedAt: '2026-01-02T10:00:00.000Z', endedAt: null},
	elapsedSeconds: 80,
	progress: {k6ElapsedSeconds: 79, paused: false, vus: 10, maxVus: 10, completeIterations: 480, interruptedIterations: 0},
	scenarios: [],
	lastLines: [],
	exit: null,
	stoppedBy: null,
	hardStopAt: null,
	summary: {state: 'none', file: null, message: null},
};
const now = Date.parse('2026-01-02T10:01:20.000Z');

describe('Given the state of a run', () => {
	test.each([
		{case: 'no run', state: {...base, status: 'idle' as const, run: null}, line: null},
		{case: 'a running one', state: base, line: 'k6 running 1m20s · 10/10 VUs · 480 it'},
		{case: 'one stopping', state: {...base, status: 'stopping' as const, hardStopAt: '2026-01-02T10:01:27.000Z'}, line: 'k6 stopping (hard stop in 7s) · 10/10 VUs · 480 it'},
		{case: 'a detached one', state: {...base, status: 'detached' as const}, line: 'k6 left running (pid 4242) · kmon runs stop 20260102T100000Z-load'},
		{case: 'a failed one', state: {...base, status: 'failed' as const, exit: {code: 99, signal: null, meaning: 'thresholds failed'}}, line: 'k6 failed after 1m20s · exit 99: thresholds failed'},
		{case: 'a hard-stopped one being summarised', state: {...base, status: 'failed' as const, exit: {code: null, signal: 'SIGKILL', meaning: 'hard stop'}, summary: {state: 'pending' as const, file: null, message: null}}, line: 'k6 failed after 1m20s · SIGKILL: hard stop · summarising…'},
	])('when it is $case, then the header line is $line', ({state, line}) => {
		expect(describeRunState(state, now)).toBe(line);
	});
});
