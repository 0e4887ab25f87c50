import type {GroupStatus, History, LagTrend} from '../../snapshot/types.js';

/** Partition counts of one group and topic, from the status queries over the window. */
export type PartitionCounts = {
	lagging: number;
	stalled: number;
	growing: number;
	rewound: number;
};

export type StatusInput = {
	counts: PartitionCounts;
	members: number | null;
	gone: boolean;
	windowText: string;
};

/**
 * A consumer group's status after Burrow's rules, from offsets Prometheus kept. A partition counts only when
 * its lag never reached zero in the window. Kafka's exporter shows no commit times, so STOP and STALL are told
 * apart by members: offsets that did not move with nobody in the group is a stopped consumer.
 */
export function groupStatus(input: StatusInput): {status: GroupStatus; reason: string} {
	const {counts, members, gone, windowText} = input;
	if (gone) {
		return {status: 'GONE', reason: 'its series vanished from kafka_exporter (no members and no offsets reported now)'};
	}

	if (counts.rewound > 0) {
		return {status: 'REWIND', reason: `committed offset went backwards on ${plural(counts.rewound, 'partition')} and has not recovered`};
	}

	if (counts.stalled > 0) {
		return members === 0
			? {status: 'STOP', reason: `no members, and offsets did not move for ${windowText} on ${plural(counts.stalled, 'partition')} with lag`}
			: {status: 'STALL', reason: `members present, but committed offsets did not move for ${windowText} on ${plural(counts.stalled, 'partition')} with lag`};
	}

	if (counts.growing > 0) {
		return {status: 'WARN', reason: `lag never reached zero and grew over ${windowText} on ${plural(counts.growing, 'partition')}`};
	}

	return {
		status: 'OK',
		reason: counts.lagging > 0 ? `lag on ${plural(counts.lagging, 'partition')} but going down` : `lag reached zero within ${windowText}`,
	};
}

/**
 * Lag direction from the recent part of its history (the last third of the window, at least 3 points):
 * the least-squares slope, called flat when it would move lag by under 1 % (or under one message) over that span.
 */
export function lagTrend(history: History, stepSeconds: number): {trend: LagTrend; perSecond: number} | null {
	const recent = history.slice(-Math.max(3, Math.ceil(history.length / 3)));
	const points = recent.flatMap((value, index) => value === null ? [] : [[index * stepSeconds, value] as const]);
	if (points.length < 3) {
		return null;
	}

	const meanX = points.reduce((sum, [x]) => sum + x, 0) / points.length;
	const meanY = points.reduce((sum, [, y]) => sum + y, 0) / points.length;
	const covariance = points.reduce((sum, [x, y]) => sum + ((x - meanX) * (y - meanY)), 0);
	const variance = points.reduce((sum, [x]) => sum + ((x - meanX) ** 2), 0);
	const perSecond = covariance / variance;
	const span = points.at(-1)![0] - points[0]![0];
	const change = perSecond * span;
	if (Math.abs(change) < Math.max(1, Math.abs(meanY) * 0.01)) {
		return {trend: 'flat', perSecond};
	}

	return {trend: change > 0 ? 'growing' : 'draining', perSecond};
}

/** Seconds until lag is gone when consumers outpace producers; null when it is not draining. */
export function secondsToDrain(lag: number | null, consumeRate: number | null, produceRate: number | null): number | null {
	if (lag === null || consumeRate === null || produceRate === null || lag <= 0) {
		return null;
	}

	const net = consumeRate - produceRate;
	return net > 0 ? lag / net : null;
}

function plural(count: number, noun: string): string {
	return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
