import {useEffect, useState} from 'react';
import {coarseAge} from '../model/data-age.js';

/**
 * The coarse age of data received at `receivedAt`, re-rendering only when the label changes: a stale screen
 * (Prometheus gone, or paused) still shows its age growing, without a render every second.
 */
export function useCoarseAge(receivedAt: number | null, now: () => number): string | null {
	const [, setTick] = useState(0);
	const age = receivedAt === null ? null : coarseAge(now() - receivedAt);
	const changesInMs = age?.changesInMs ?? null;
	useEffect(() => {
		if (changesInMs === null) {
			return;
		}

		const timer = setTimeout(() => {
			setTick(tick => tick + 1);
		}, changesInMs + 50);
		return () => {
			clearTimeout(timer);
		};
	}, [receivedAt, changesInMs]);
	return age?.label ?? null;
}
