import process from 'node:process';
import type {Config} from './config/config.js';
import {jsonText} from './format/escape-controls.js';
import {PrometheusClient} from './prometheus/client.js';
import {readRunMarkers} from './k6/run-store.js';
import {dockerIdentityAdder} from './snapshot/add-docker-identity.js';
import {prometheusFailed, withBackendWarnings} from './snapshot/diagnose.js';
import {allDomains, collectSnapshot} from './snapshot/collect.js';
import type {Snapshot} from './snapshot/types.js';

/** Points per history in --once output: one per 5 s over the default 5 minutes. */
const oncePoints = 60;
const onceRowLimit = 100;

/** `kmon --once [--json]`: one snapshot of every domain, printed, then an exit code. */
export async function runOnce(config: Config): Promise<number> {
	const client = createClient(config);
	// The text report's modules (string-width among them: ~25 ms) load while Prometheus answers, and never for --json.
	const report = config.json ? undefined : import('./report/text.js');
	const started = performance.now();
	// A past time (--at) is Prometheus's own; otherwise now on Prometheus's clock (measured by the first answer).
	const moment = config.at ?? await client.serverNow();
	const snapshot = await collectSnapshot(client, {
		url: config.prometheusUrl,
		domains: allDomains,
		rangeMs: config.rangeMs,
		points: oncePoints,
		tagKey: config.tagKey,
		partitions: 'all',
		containerSort: 'cpu',
		limit: onceRowLimit,
		clockOffsetMs: client.clock.offsetMs,
		past: config.at !== null,
	}, moment);
	const withDocker = {...withBackendWarnings(await dockerIdentityAdder()(snapshot), client.takeWarnings()), runs: runMarkersOf(snapshot, client.clock.offsetMs ?? 0)};
	withDocker.prometheus = {...snapshot.prometheus, pollMs: Math.round(performance.now() - started), ...client.traffic};
	const text = report
		? (await report).renderText(withDocker, process.stdout.isTTY ? process.stdout.columns : 100)
		: jsonText(withDocker);
	process.stdout.write(`${text}\n`);
	return prometheusFailed(withDocker) ? 3 : 0;
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

/** k6 runs in the window, from the run store; an unreadable store costs the marks, never the report. */
function runMarkersOf(snapshot: Snapshot, offsetMs: number): Snapshot['runs'] {
	try {
		return readRunMarkers(snapshot.window, {offsetMs});
	} catch {
		return [];
	}
}
