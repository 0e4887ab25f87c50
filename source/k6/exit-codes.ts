// What k6's exit codes mean (errext/exitcodes in k6's source). Shown next to the code in the UI, in `kmon run`
// and in `kmon runs show`, because "exit code 107" alone sends people to the docs.

const meanings: Record<number, string> = {
	0: 'finished (thresholds, if any, passed)',
	97: 'cloud test run failed',
	98: 'cloud: failed to get progress',
	99: 'thresholds failed',
	100: 'setup() timed out',
	101: 'teardown() timed out',
	102: 'timed out',
	103: 'engine error (or stopped through the REST API in old k6)',
	104: 'invalid configuration',
	105: 'aborted from outside (signal, e.g. Ctrl-C or kmon\'s stop)',
	106: 'could not start the REST API',
	107: 'script exception',
	108: 'aborted by the script (test.abort())',
	109: 'k6 crashed (Go panic)',
	110: 'marked as failed by the script (execution.test.fail())',
	255: 'k6 could not start the test (bad flag, script not found, or another error before the run)',
};

export type ExitOutcome = {
	code: number | null;
	/** Set when the process was killed by a signal rather than exiting. */
	signal: string | null;
};

export function exitCodeMeaning({code, signal}: ExitOutcome): string {
	if (signal) {
		return signal === 'SIGKILL'
			? 'hard stop, or the system ran out of memory'
			: 'ended by a signal k6 did not handle';
	}

	if (code === null) {
		return 'exit code unknown';
	}

	return meanings[code] ?? `exit code ${code} (not one of k6's own codes)`;
}

/** The code a shell would report for this outcome: k6's code, or 128 + signal number when killed. */
export function shellExitCode({code, signal}: ExitOutcome, signalNumbers: Record<string, number>): number {
	if (code !== null) {
		return code;
	}

	return signal ? 128 + (signalNumbers[signal] ?? 0) : 1;
}
