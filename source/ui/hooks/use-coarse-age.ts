import {useEffect, useState} from 'react';
import {coarseAge} from '../model/data-age.js';

/**
 * The coarse age of the newest data, re-rendering only when the label changes: a stale screen (Prometheus
 * gone, or paused) still shows its age growing, without a render every second. `receivedAt` is read again
 * when the label is due to change, because polls that bring nothing new renew it without a render; the label
 * then stays, and so does the frame.
 */
export function useCoarseAge(receivedAt: () => number | null, now: () => number): string | null {
	const [, setTick] = useState(0);
	const received = receivedAt();
	const age = received === null ? null : coarseAge(now() - received);
	const label = age?.label ?? null;
	const changesInMs = age?.changesInMs ?? null;
	useEffect(() => {
		if (changesInMs === null) {
			return;
		}

		let timer: NodeJS.Timeout;
		const check = () => {
			const latest = receivedAt();
			const next = latest === null ? null : coarseAge(now() - latest);
			if (next?.label !== label) {
				setTick(tick => tick + 1);
			} else if (next.changesInMs !== null) {
				timer = setTimeout(check, next.changesInMs + 50);
			}
		};

		timer = setTimeout(check, changesInMs + 50);
		return () => {
			clearTimeout(timer);
		};
	}, [received, label, changesInMs, receivedAt, now]);
	return label;
}
