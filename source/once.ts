import process from 'node:process';
import type {Config} from './config/config.js';
import {PrometheusClient} from './prometheus/client.js';
import {renderText} from './report/text.js';
import {addDockerIdentity} from './snapshot/add-docker-identity.js';
import {allDomains, collectSnapshot} from './snapshot/collect.js';
import type {Snapshot} from './snapshot/types.js';

/** Points per history in --once output: one per 5 s over the default 5 minutes. */
const oncePoints = 60;
const onceRowLimit = 100;

/** `kmon --once [--json]`: one snapshot of every domain, printed, then an exit code. */
export async function runOnce(config: Config): Promise<number> {
	const client = createClient(config);
	const started = performance.now();
	const snapshot = await collectSnapshot(client, {
		url: config.prometheusUrl,
		domains: allDomains,
		rangeMs: config.rangeMs,
		points: oncePoints,
		tagKey: config.tagKey,
		partitions: 'all',
		containerSort: 'cpu',
		limit: onceRowLimit,
	});
	const withDocker = await addDockerIdentityWhereUseful(snapshot);
	withDocker.prometheus = {...snapshot.prometheus, pollMs: Math.round(performance.now() - started), ...client.traffic};
	const text = config.json ? JSON.stringify(withDocker, null, 2) : renderText(withDocker, process.stdout.isTTY ? process.stdout.columns : 100);
	process.stdout.write(`${text}\n`);
	return prometheusFailed(withDocker) ? 3 : 0;
}

/** Docker is asked only when cAdvisor reports Docker containers, so no one else pays for loading dockerode. */
export async function addDockerIdentityWhereUseful(snapshot: Snapshot): Promise<Snapshot> {
	const containers = snapshot.containers.state === 'ok' ? snapshot.containers.data.containers : [];
	const {dockerIdFromCgroup, createContainerIdentity} = await import('./stack/container-identity.js');
	if (!containers.some(container => dockerIdFromCgroup(container.id) !== null)) {
		return snapshot;
	}

	return addDockerIdentity(snapshot, createContainerIdentity());
}

export function createClient(config: Config): PrometheusClient {
	return new PrometheusClient({
		url: config.prometheusUrl,
		credentials: config.credentials,
		headers: config.headers,
		timeoutMs: config.timeoutMs,
		tls: {ca: config.caPem ?? undefined, insecure: config.insecure},
	});
}

/** Prometheus itself failed (unreachable, refused, unusable), as opposed to a domain lacking data. */
export function prometheusFailed(snapshot: Snapshot): boolean {
	return snapshot.diagnostics.some(diagnostic => diagnostic.id.startsWith('prometheus-'));
}
