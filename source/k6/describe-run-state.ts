// One short line about the run for the monitor's header and k6 tab ("k6 running 1m20s · 10/10 VUs · 480 it"):
// plain text, no colours or widths, so the UI decides how to show it.

import {formatCount, formatSpan} from '../format/units.js';
import type {RunState} from './run-controller.js';

export function describeRunState(state: RunState, now = Date.now()): string | null {
	const {status, run, progress, exit} = state;
	if (status === 'idle' || !run) {
		return null;
	}

	const elapsed = formatSpan(state.elapsedSeconds);
	const load = progress ? ` · ${progress.vus}/${progress.maxVus} VUs · ${formatCount(progress.completeIterations)} it` : '';
	switch (status) {
		case 'running': {
			return `k6 running ${elapsed}${load}`;
		}

		case 'stopping': {
			const left = state.hardStopAt ? Math.max(0, Math.ceil((Date.parse(state.hardStopAt) - now) / 1000)) : null;
			return `k6 stopping${left === null ? '' : ` (hard stop in ${left}s)`}${load}`;
		}

		case 'detached': {
			return `k6 left running (pid ${run.pid ?? '?'}) · kmon runs stop ${run.id}`;
		}

		case 'finished':
		case 'failed': {
			const code = exit ? (exit.signal ?? `exit ${exit.code}`) : 'ended';
			const summary = state.summary.state === 'pending' ? ' · summarising…' : '';
			return `k6 ${status} after ${elapsed} · ${code}: ${exit?.meaning ?? 'unknown'}${summary}`;
		}
	}
}
