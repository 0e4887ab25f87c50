import {readFileSync} from 'node:fs';

// A run folder records k6's pid so a run left behind (detached, or kmon killed) is never an orphan nobody knows
// about. A pid alone is not enough: after k6 ends the system can give the same number to another process, so on
// Linux the process's start time (field 22 of /proc/<pid>/stat) is recorded with it and compared.

/** The process's start time in clock ticks since boot, or null where /proc is not available. */
export function processStartMark(pid: number): string | null {
	const stat = readStat(pid);
	return stat?.startTicks ?? null;
}

/** True when `pid` runs and is the same process as when `startMark` was taken (zombies count as ended). */
export function isProcessAlive(pid: number, startMark: string | null): boolean {
	try {
		process.kill(pid, 0);
	} catch (error) {
		// EPERM: it exists but belongs to someone else (a reused pid, most likely); the start mark decides.
		if ((error as NodeJS.ErrnoException).code !== 'EPERM') {
			return false;
		}
	}

	const stat = readStat(pid);
	if (!stat) {
		// No /proc (macOS): kill(0) succeeding is the best evidence there is. With /proc, it just ended.
		return !hasProc();
	}

	return stat.state !== 'Z' && (startMark === null || stat.startTicks === startMark);
}

let procAvailable: boolean | undefined;

function hasProc(): boolean {
	procAvailable ??= readStat(process.pid) !== undefined;
	return procAvailable;
}

function readStat(pid: number): {state: string; startTicks: string} | undefined {
	let text: string;
	try {
		text = readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return undefined;
	}

	// The command name (field 2) is in parentheses and may hold spaces or parentheses: split after the last ")".
	const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
	const state = fields[0];
	const startTicks = fields[19];
	return state && startTicks ? {state, startTicks} : undefined;
}
