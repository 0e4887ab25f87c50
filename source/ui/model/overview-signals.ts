import type {ConsumerGroup, GroupStatus, History, Kafka} from '../../snapshot/types.js';

/** Pointwise sum of histories. A point is unknown only when every series is unknown there, never 0. */
export function sumHistories(histories: History[]): History {
	const length = Math.max(0, ...histories.map(history => history.length));
	return Array.from({length}, (_, index) => {
		let sum: number | null = null;
		for (const history of histories) {
			// Histories of one snapshot share a window; align them on their newest point anyway.
			const value = history[history.length - length + index];
			if (value !== null && value !== undefined) {
				sum = (sum ?? 0) + value;
			}
		}

		return sum;
	});
}

export type LagSummary = {
	total: number | null;
	history: History;
	worst: ConsumerGroup | null;
	/** Groups per status, in the order statuses are listed. */
	counts: Array<[GroupStatus, number]>;
};

const worstFirst: readonly GroupStatus[] = ['STOP', 'STALL', 'REWIND', 'WARN', 'GONE', 'OK'];

export function lagSummary(kafka: Kafka): LagSummary {
	const groups = kafka.groups;
	const known = groups.flatMap(group => group.lag.value === null ? [] : [group.lag.value]);
	const worst = [...groups].sort((a, b) => worstFirst.indexOf(a.status) - worstFirst.indexOf(b.status)
		|| (b.lag.value ?? -1) - (a.lag.value ?? -1))[0] ?? null;
	// The snapshot's own total covers every group, also those without a row; snapshots recorded before it
	// existed have only the rows.
	const total = kafka.totalLag as Kafka['totalLag'] | undefined;
	return {
		total: total ? total.value : (known.length === 0 ? null : known.reduce((sum, value) => sum + value, 0)),
		history: total ? total.history : sumHistories(groups.map(group => group.lag.history)),
		worst,
		counts: worstFirst.flatMap(status => {
			const count = groups.filter(group => group.status === status).length;
			return count === 0 ? [] : [[status, count] as [GroupStatus, number]];
		}),
	};
}
