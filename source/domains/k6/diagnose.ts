import type {Diagnostic} from '../../snapshot/types.js';

export function untaggedProblem(untaggedPerSecond: number | null): Diagnostic | undefined {
	if (untaggedPerSecond === null || untaggedPerSecond <= 0) {
		return undefined;
	}

	return {
		id: 'k6-untagged',
		severity: 'warning',
		area: 'k6',
		message: `k6 requests are arriving without tags (${untaggedPerSecond.toFixed(1)} req/s): per-endpoint rows stay empty`,
		fix: 'set K6_STATSD_ENABLE_TAGS=true for k6 (kmon does this for runs it starts with r)',
	};
}

export function statsdLossProblems(conflicts: number | null, drops: number | null, windowText: string): Diagnostic[] {
	const problems: Diagnostic[] = [];
	if (conflicts !== null && conflicts > 0) {
		problems.push({
			id: 'statsd-conflicts',
			severity: 'warning',
			area: 'k6',
			message: `statsd_exporter dropped ${Math.round(conflicts)} samples in ${windowText} whose name was already used with another type`,
			fix: 'check stack/statsd-mapping.yml and statsd_exporter_events_conflict_total by type',
		});
	}

	if (drops !== null && drops > 0) {
		problems.push({
			id: 'statsd-udp-drops',
			severity: 'warning',
			area: 'k6',
			message: `statsd_exporter dropped ${Math.round(drops)} UDP packets in ${windowText}: k6 figures are too low`,
			fix: 'raise statsd_exporter --statsd.read-buffer, or lower k6\'s load on this host',
		});
	}

	return problems;
}
