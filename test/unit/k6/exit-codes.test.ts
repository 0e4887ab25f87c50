import {constants} from 'node:os';
import {describe, expect, test} from 'vitest';
import {exitCodeMeaning, shellExitCode} from '../../../source/k6/exit-codes.js';

describe('Given how k6 ended', () => {
	test.each([
		{code: 0, meaning: /^finished/},
		{code: 99, meaning: /^thresholds failed$/},
		{code: 100, meaning: /setup\(\) timed out/},
		{code: 101, meaning: /teardown\(\) timed out/},
		{code: 104, meaning: /^invalid configuration$/},
		{code: 105, meaning: /aborted from outside/},
		{code: 107, meaning: /^script exception$/},
		{code: 108, meaning: /test\.abort\(\)/},
		{code: 109, meaning: /Go panic/},
		{code: 110, meaning: /marked as failed/},
		{code: 255, meaning: /could not start the test/},
		{code: 3, meaning: /^exit code 3 \(not one of k6's own codes\)$/},
	])('when it exits $code, then the meaning is $meaning', ({code, meaning}) => {
		expect(exitCodeMeaning({code, signal: null})).toMatch(meaning);
	});

	test.each([
		{signal: 'SIGKILL', meaning: /hard stop/, shell: 137},
		{signal: 'SIGTERM', meaning: /signal k6 did not handle/, shell: 143},
	])('when it is killed by $signal, then the meaning is $meaning and the shell code is $shell', ({signal, meaning, shell}) => {
		expect(exitCodeMeaning({code: null, signal})).toMatch(meaning);
		expect(shellExitCode({code: null, signal}, constants.signals as Record<string, number>)).toBe(shell);
	});

	test('when it exits with a code, then kmon run returns that code', () => {
		expect(shellExitCode({code: 99, signal: null}, {})).toBe(99);
	});
});
