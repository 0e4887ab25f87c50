import type {Result} from '../prometheus/client.js';
import {fetchAll} from '../prometheus/fetch-all.js';
import type {Querier} from '../prometheus/querier.js';
import {emptyHistory, scalarOf} from '../prometheus/series.js';
import {evaluationTime, windowFor} from '../prometheus/window.js';
import type {ContainerSort} from '../domains/containers/queries.js';
import {collectContainers} from '../domains/containers/collect.js';
import type {CollectContext} from '../domains/context.js';
import type {ChoiceMemo} from '../domains/next-wave.js';
import {detectFamilies, type Selection} from '../domains/families.js';
import {collectK6} from '../domains/k6/collect.js';
import {statsdLossProblems, untaggedProblem} from '../domains/k6/diagnose.js';
import {statsdLossQueries} from '../domains/k6/queries.js';
import {collectBrokers} from '../domains/kafka/collect-brokers.js';
import {collectGroups, partitionLagsFor} from '../domains/kafka/collect-groups.js';
import {collectTargets, type TargetsMemo} from '../domains/targets.js';
import {clockProblem, prometheusProblem, targetProblems} from './diagnose.js';
import {
	type Containers, type Diagnostic, type DomainName, type K6, type Kafka, type QueryError, SCHEMA_VERSION, type Section, type Snapshot,
} from './types.js';

export type CollectOptions = {
	/** Prometheus URL without credentials, for the report. */
	url: string;
	domains: readonly DomainName[];
	rangeMs: number;
	/** Sparkline cells: points per history. */
	points: number;
	tagKey: string;
	/** Per-partition lag for one group, or for all of them. */
	partitions: {group: string} | 'all' | 'none';
	containerSort: ContainerSort;
	/** Rows per table (busiest first). */
	limit: number;
	/** Prometheus's time minus this machine's when measured (`now` is then Prometheus's time): for the diagnostic. */
	clockOffsetMs?: number | null;
	/** A snapshot of a past time (--at): target health is read from `up` then, as the targets API knows only now. */
	past?: boolean;
};

export const allDomains: readonly DomainName[] = ['kafka', 'containers', 'k6'];

/** What the last polls found, kept by a caller that polls (see collectSnapshot). */
export type PollMemo = {selection?: Selection; choices: ChoiceMemo; targets?: TargetsMemo};

/**
 * One poll: every query the requested domains need into one Snapshot. Histories end at the window's end,
 * aligned down to the step so sparkline points do not jitter. Current values do not wait for that alignment
 * (at 16 cells over 5 minutes it would make them up to 20 s old): they are evaluated at evaluationTime(now).
 *
 * With a memo, the domains' queries go out with the family detection, on the last poll's selection, instead of
 * waiting for it: one round trip (and one wake of the process) less per poll. Selections change only when an
 * exporter comes or goes; then the domains are asked again with the new one. The domains, in turn, ask the
 * details of their busiest rows with their first wave, on the rows the last polls chose (next-wave.ts).
 */
export async function collectSnapshot(querier: Querier, options: CollectOptions, now = new Date(), memo?: PollMemo): Promise<Snapshot> {
	const window = windowFor(now, options.rangeMs, options.points);
	const at = evaluationTime(now);
	const contextWith = (selection: Selection): CollectContext => ({querier, at, window, selection, choices: memo?.choices});
	const guessed = memo?.selection;
	const early = guessed ? collectDomains(contextWith(guessed), options) : undefined;
	const targetsMemo = memo ? (memo.targets ??= {}) : undefined;
	const [version, targets, selection] = await Promise.all([
		querier.version(), collectTargets(querier, at, {past: options.past ?? false, memo: targetsMemo}), detectFamilies(querier, at),
	]);
	const base = {
		schema: SCHEMA_VERSION,
		takenAt: at.toISOString(),
		prometheus: {url: options.url, version: version.ok ? version.value : null, pollMs: 0, queries: 0, bytes: 0},
		window,
	};

	const failure = [version, targets, selection].find((result): result is {ok: false; error: QueryError} => !result.ok);
	if (failure || !targets.ok || !selection.ok) {
		// Its queries failed the same way; it is let finish so nothing is left running.
		await early;
		const error = failure?.error ?? {kind: 'malformed' as const, message: 'unknown failure', status: null};
		const failed = {state: 'failed' as const, error};
		return {
			...base,
			families: {jmx: null, k6: null, cadvisor: null},
			targets: [],
			kafka: failed,
			containers: failed,
			k6: failed,
			runs: [],
			diagnostics: [prometheusProblem(error, options.url)],
		};
	}

	if (memo) {
		memo.selection = selection.value;
	}

	const {kafka, containers, k6} = early && guessed && sameSelection(guessed, selection.value)
		? await early
		: await collectDomains(contextWith(selection.value), options);
	const clock = clockProblem(targets.value.targets, now, options.clockOffsetMs ?? null);
	return {
		...base,
		families: selection.value.families,
		targets: targets.value.targets,
		kafka: kafka.section,
		containers: containers.section,
		k6: k6.section,
		// Run markers come from the run store, not Prometheus; the caller adds them (see k6/).
		runs: [],
		diagnostics: [
			...targets.value.diagnostics,
			...targetProblems(targets.value.targets),
			...(clock ? [clock] : []),
			...selection.value.diagnostics,
			...kafka.diagnostics,
			...containers.diagnostics,
			...k6.diagnostics,
		],
	};
}

type Domains = {kafka: Outcome<Kafka>; containers: Outcome<Containers>; k6: Outcome<K6>};

async function collectDomains(context: CollectContext, options: CollectOptions): Promise<Domains> {
	const wants = (domain: DomainName) => options.domains.includes(domain);
	const [kafka, containers, k6] = await Promise.all([
		wants('kafka') ? kafkaSection(context, options) : skipped<Kafka>(),
		wants('containers') ? containersSection(context, options) : skipped<Containers>(),
		wants('k6') ? k6Section(context, options) : skipped<K6>(),
	]);
	return {kafka, containers, k6};
}

/** Two selections that would send the same queries (their diagnostics aside). */
function sameSelection(a: Selection, b: Selection): boolean {
	const queried = ({families, jmxJobMatcher, k6JobMatcher, kafkaExporter}: Selection) => JSON.stringify([families, jmxJobMatcher, k6JobMatcher, kafkaExporter]);
	return queried(a) === queried(b);
}

type Outcome<T> = {section: Section<T>; diagnostics: Diagnostic[]};

async function skipped<T>(): Promise<Outcome<T>> {
	return {section: {state: 'skipped'}, diagnostics: []};
}

function failed<T>(result: Result<unknown> & {ok: false}): Outcome<T> {
	return {section: {state: 'failed', error: result.error}, diagnostics: []};
}

function absent<T>(id: string, area: Diagnostic['area'], reason: string, fix: string): Outcome<T> {
	return {section: {state: 'absent', reason, fix}, diagnostics: [{id, severity: 'warning', area, message: reason, fix}]};
}

async function kafkaSection(context: CollectContext, options: CollectOptions): Promise<Outcome<Kafka>> {
	const {selection} = context;
	if (!selection.kafkaExporter && selection.families.jmx === null) {
		return absent('kafka-absent', 'kafka', 'no kafka_exporter or JMX exporter series in Prometheus',
			'check the kafka-exporter and jmx-exporter targets (kmon status) and KMON_KAFKA_BROKERS in stack/.env');
	}

	const addPartitionLags = options.partitions === 'none'
		? undefined
		: partitionLagsFor(context, options.partitions === 'all' ? undefined : options.partitions.group);
	const [groups, brokers] = await Promise.all([
		selection.kafkaExporter
			? collectGroups(context, options.limit)
			: Promise.resolve({ok: true as const, value: {groups: [], groupCount: null, totalLag: {value: null, history: emptyHistory(context.window.points)}}}),
		collectBrokers(context),
	]);
	if (!groups.ok) {
		return failed(groups);
	}

	const detailed = addPartitionLags ? await addPartitionLags(groups.value.groups) : {ok: true as const, value: groups.value.groups};
	if (!detailed.ok) {
		return failed(detailed);
	}

	const diagnostics: Diagnostic[] = [];
	if (!selection.kafkaExporter) {
		diagnostics.push({id: 'kafka-exporter-absent', severity: 'warning', area: 'kafka', message: 'no kafka_exporter series: consumer-group lag is unknown', fix: 'check the kafka-exporter target (kmon status)'});
	}

	const brokerSection: Kafka['brokers'] = !brokers.ok
		? {state: 'failed', error: brokers.error}
		: (selection.families.jmx === null
			? {state: 'absent', reason: 'no JMX exporter series: broker internals are unknown', fix: 'check the jmx-exporter target and that the broker has remote JMX enabled (KMON_KAFKA_JMX)'}
			: {state: 'ok', data: brokers.value});
	if (brokerSection.state === 'absent') {
		diagnostics.push({id: 'jmx-absent', severity: 'warning', area: 'kafka', message: brokerSection.reason, fix: brokerSection.fix});
	}

	const {groupCount, totalLag} = groups.value;
	return {section: {state: 'ok', data: {groups: detailed.value, groupCount, totalLag, brokers: brokerSection}}, diagnostics};
}

async function containersSection(context: CollectContext, options: CollectOptions): Promise<Outcome<Containers>> {
	const {cadvisor} = context.selection.families;
	if (cadvisor === null) {
		return absent('cadvisor-absent', 'containers', 'no cAdvisor series in Prometheus', 'check the cadvisor target (kmon status)');
	}

	const result = await collectContainers(context, {limit: options.limit, sort: options.containerSort});
	if (!result.ok) {
		return failed(result);
	}

	const diagnostics: Diagnostic[] = cadvisor === 'cadvisor-unnamed'
		? [{
			id: 'cadvisor-unnamed',
			severity: 'info',
			area: 'containers',
			message: 'cAdvisor reports cgroups without Docker names; containers are shown by cgroup id',
			fix: 'give cAdvisor the Docker socket (-v /var/run:/var/run:ro) and /var/lib/docker, as in stack/compose.yml',
		}]
		: [];
	return {section: {state: 'ok', data: result.value}, diagnostics};
}

async function k6Section(context: CollectContext, options: CollectOptions): Promise<Outcome<K6>> {
	const family = context.selection.families.k6;
	if (family === null) {
		return absent('k6-absent', 'k6', 'no k6 series in Prometheus yet (k6_http_reqs)',
			'start a k6 run (r) — kmon sets K6_STATSD_ENABLE_TAGS=true and K6_STATSD_ADDR for it');
	}

	const windowText = `${Math.round(context.window.rangeSeconds / 60)}m`;
	const [result, losses] = await Promise.all([
		collectK6(context, family, {tagKey: options.tagKey, limit: options.limit}),
		fetchAll(context.querier, statsdLossQueries(`${context.window.rangeSeconds}s`), context.at, context.window),
	]);
	if (!result.ok) {
		return failed(result);
	}

	const untagged = untaggedProblem(result.value.untaggedPerSecond);
	return {
		section: {state: 'ok', data: result.value.k6},
		diagnostics: [
			...(untagged ? [untagged] : []),
			...(losses.ok ? statsdLossProblems(scalarOf(losses.value.conflicts), scalarOf(losses.value.drops), windowText) : []),
		],
	};
}
