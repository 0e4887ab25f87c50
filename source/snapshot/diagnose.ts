import {oneLine} from '../prometheus/errors.js';
import type {Diagnostic, QueryError, Snapshot, Target} from './types.js';

/** Prometheus itself failed: nothing else can be known. */
export function prometheusProblem(error: QueryError, url: string): Diagnostic {
	const fixes: Record<QueryError['kind'], string> = {
		unreachable: `start the stack (kmon up, or npm run stack:up in a checkout) or pass --prometheus with the right URL (now ${url})`,
		timeout: 'Prometheus is slow or overloaded: raise --timeout, or shorten --range',
		auth: 'set KMON_PROMETHEUS_USER and KMON_PROMETHEUS_PASSWORD, or KMON_PROMETHEUS_TOKEN',
		http: 'check the URL points at Prometheus\'s API root (no /api/v1), and Prometheus\'s own log',
		malformed: 'check that --prometheus points at Prometheus (or Thanos, Mimir, VictoriaMetrics), not another server',
	};
	return {id: `prometheus-${error.kind}`, severity: 'error', area: 'prometheus', message: error.message, fix: fixes[error.kind]};
}

/** Prometheus itself failed (unreachable, refused, unusable), as opposed to a domain lacking data. */
export function prometheusFailed(snapshot: Snapshot): boolean {
	return snapshot.diagnostics.some(diagnostic => diagnostic.id.startsWith('prometheus-'));
}

const targetDownId = 'target-down:';

/** A target Prometheus cannot scrape (see targetProblems). */
export function isTargetDown(diagnostic: Diagnostic): boolean {
	return diagnostic.id.startsWith(targetDownId);
}

export function targetProblems(targets: Target[]): Diagnostic[] {
	return targets.filter(target => target.health === 'down').map(target => ({
		id: `${targetDownId}${target.job}:${target.instance}`,
		severity: 'error' as const,
		area: areaOfJob(target.job),
		message: `Prometheus cannot scrape ${target.job} at ${target.instance}: ${target.lastError ?? 'no error text'}`,
		fix: `check that ${target.job} is running and that Prometheus reaches ${target.instance} (kmon status)`,
	}));
}

/**
 * Clocks that differ. With the offset measured from Prometheus's answers (prometheus/server-clock.ts), `now` is
 * already Prometheus's time and the queries were asked on it: the diagnostic says so. Without it (a replayed
 * recording), Prometheus's clock is judged from its targets' last scrapes: a scrape ahead of `now`, or scrapes of
 * healthy targets that all look old, mean every window is shifted.
 */
export function clockProblem(targets: Target[], now: Date, offsetMs: number | null = null, intervalSeconds = 60): Diagnostic | undefined {
	if (offsetMs !== null) {
		const seconds = Math.round(Math.abs(offsetMs) / 1000);
		return seconds > 10
			? {
				id: 'clock-skew',
				severity: 'warning',
				area: 'prometheus',
				message: `Prometheus's clock is about ${seconds} s ${offsetMs > 0 ? 'ahead of' : 'behind'} this machine's; kmon asks on Prometheus's time and moves run marks by the same ${seconds} s`,
				fix: 'sync both clocks (NTP / chrony / systemd-timesyncd): other tools reading both will not correct it',
			}
			: undefined;
	}

	const times = targets.filter(target => target.health === 'up' && target.lastScrape)
		.map(target => Date.parse(target.lastScrape!));
	if (times.length === 0) {
		return undefined;
	}

	const skewSeconds = (Math.max(...times) - now.getTime()) / 1000;
	if (skewSeconds > 10 || skewSeconds < -intervalSeconds * 2) {
		return {
			id: 'clock-skew',
			severity: 'warning',
			area: 'prometheus',
			message: `Prometheus's clock and this machine's differ by about ${Math.round(Math.abs(skewSeconds))} s; recent points may be missing`,
			fix: 'sync both clocks (NTP / chrony / systemd-timesyncd)',
		};
	}

	return undefined;
}

function areaOfJob(job: string): Diagnostic['area'] {
	if (/kafka|jmx/i.test(job)) {
		return 'kafka';
	}

	if (/cadvisor|container/i.test(job)) {
		return 'containers';
	}

	if (/statsd|k6/i.test(job)) {
		return 'k6';
	}

	return 'prometheus';
}

/**
 * The backend answered with warnings (client.ts keeps them: prometheus-query drops them). Thanos, Mimir and
 * VictoriaMetrics say there that they answered in part, a store behind them not answering: the figures are
 * shown, and this says they may be missing series.
 */
export function withBackendWarnings(snapshot: Snapshot, warnings: string[]): Snapshot {
	if (warnings.length === 0) {
		return snapshot;
	}

	const more = warnings.length > 1 ? ` (and ${warnings.length - 1} more)` : '';
	const diagnostic: Diagnostic = {
		id: 'backend-warning',
		severity: 'warning',
		area: 'prometheus',
		message: `${snapshot.prometheus.url} answered with a warning: "${oneLine(warnings[0]!)}"${more}`,
		fix: 'a partial response: a store behind the backend did not answer (for Thanos a sidecar or store gateway), so figures may miss series until it is back',
	};
	return {...snapshot, diagnostics: [...snapshot.diagnostics, diagnostic]};
}
