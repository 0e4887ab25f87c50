import type {ConsumerGroup, GroupStatus, History, Kafka} from '../../snapshot/types.js';

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
	const worst = [...groups].sort((a, b) => worstFirst.indexOf(a.status) - worstFirst.indexOf(b.status)
		|| (b.lag.value ?? -1) - (a.lag.value ?? -1))[0] ?? null;
	// The snapshot's own total covers every group, also those without a row.
	return {
		total: kafka.totalLag.value,
		history: kafka.totalLag.history,
		worst,
		counts: worstFirst.flatMap(status => {
			const count = groups.filter(group => group.status === status).length;
			return count === 0 ? [] : [[status, count] as [GroupStatus, number]];
		}),
	};
}
