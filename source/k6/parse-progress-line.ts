// k6 prints, when its stdout is not a terminal, one status line per second (execution/scheduler.go getRunStats):
//   running (0m05.0s), 10/10 VUs, 48 complete and 0 interrupted iterations
// followed by one line per scenario:
//   default   [  17% ] 10/10 VUs  0m05.0s/0m30.0s   (status mark before the bar: ✓ done, ✗ interrupted, ↓ stopping, • waiting)
// The duration has a fixed width chosen from the test's maximum length ("5.0s", "05.0s", "0m05.0s",
// "00h00m05.0s", "0d00h00m05.0s"), VU counts are zero-padded ("03/10"), and the status is "paused" while paused.

export type RunProgress = {
	/** k6's own clock: seconds since the test started (null before it has started). */
	k6ElapsedSeconds: number | null;
	paused: boolean;
	vus: number;
	maxVus: number;
	completeIterations: number;
	interruptedIterations: number;
};

export type ScenarioProgress = {
	scenario: string;
	percent: number;
};

const statusLine = /^(running|paused)(?: \(([\dhms.d]+)\))?, (\d+)\/(\d+) VUs, (\d+) complete and (\d+) interrupted iterations\s*$/;
const scenarioLine = /^(\S+)\s+(?:[✓✗↓•]\s+)?\[\s*(\d+(?:\.\d+)?)%\s*\]/;

export function parseProgressLine(line: string): RunProgress | undefined {
	const match = statusLine.exec(line.trim());
	if (!match) {
		return undefined;
	}

	return {
		k6ElapsedSeconds: match[2] === undefined ? null : parseK6Duration(match[2]),
		paused: match[1] === 'paused',
		vus: Number(match[3]),
		maxVus: Number(match[4]),
		completeIterations: Number(match[5]),
		interruptedIterations: Number(match[6]),
	};
}

export function parseScenarioLine(line: string): ScenarioProgress | undefined {
	const match = scenarioLine.exec(line.trim());
	return match ? {scenario: match[1]!, percent: Number(match[2])} : undefined;
}

/** "1d02h03m04.5s" → 93784.5; the parts present depend on the test's length. */
export function parseK6Duration(text: string): number | null {
	const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(\d+(?:\.\d+)?)s$/.exec(text);
	if (!match) {
		return null;
	}

	const [, days, hours, minutes, seconds] = match;
	return (Number(days ?? 0) * 86_400) + (Number(hours ?? 0) * 3600) + (Number(minutes ?? 0) * 60) + Number(seconds);
}
