import type {Credentials} from '../config/config.js';
import type {OutputKind} from './choose-output.js';

export type ChildEnvironmentSettings = {
	output: OutputKind;
	/** host:port of statsd_exporter's UDP listener. */
	statsdAddr: string;
	/** Prometheus base URL without credentials, for remote write. */
	prometheusUrl: string;
	credentials: Credentials;
	/** Extra headers kmon sends to Prometheus (e.g. X-Scope-OrgID), sent by remote write too. */
	headers: Record<string, string>;
};

export type ChildEnvironment = {
	env: Record<string, string>;
	/** Names kmon set or overrode; values are never recorded, since some are credentials. */
	set: string[];
	/** Names kmon removed: its own Prometheus credentials, which k6 has no use for. */
	removed: string[];
};

/** kmon's own secrets: a k6 script can read its whole environment (__ENV), so they do not go to the child. */
const kmonSecrets = ['KMON_PROMETHEUS_PASSWORD', 'KMON_PROMETHEUS_TOKEN', 'KMON_PROMETHEUS_USER'];

/**
 * The user's environment plus what makes k6's results reach kmon. K6_STATSD_ENABLE_TAGS is forced on even when
 * the user set it off: without tags every request lands in one series and the per-endpoint views stay empty,
 * the exact failure kmon exists to prevent.
 */
export function childEnvironment(base: NodeJS.ProcessEnv, settings: ChildEnvironmentSettings): ChildEnvironment {
	const env: Record<string, string> = {};
	for (const [name, value] of Object.entries(base)) {
		if (value !== undefined && !kmonSecrets.includes(name)) {
			env[name] = value;
		}
	}

	const removed = kmonSecrets.filter(name => base[name] !== undefined);
	const set: Record<string, string> = {};
	if (settings.output === 'prometheus-rw') {
		set['K6_PROMETHEUS_RW_SERVER_URL'] = `${settings.prometheusUrl}/api/v1/write`;
		// kmon's catalog reads k6_http_req_duration_p95 / _p99; k6's default trend stats have no p95.
		if (!base['K6_PROMETHEUS_RW_TREND_STATS']) {
			set['K6_PROMETHEUS_RW_TREND_STATS'] = 'p(95),p(99),avg,max';
		}

		if (settings.credentials.kind === 'basic') {
			set['K6_PROMETHEUS_RW_USERNAME'] = settings.credentials.username;
			set['K6_PROMETHEUS_RW_PASSWORD'] = settings.credentials.password;
		}

		const headers = {...settings.headers};
		if (settings.credentials.kind === 'bearer') {
			headers['Authorization'] = `Bearer ${settings.credentials.token}`;
		}

		for (const [name, value] of Object.entries(headers)) {
			set[`K6_PROMETHEUS_RW_HEADERS_${name}`] = value;
		}
	} else {
		set['K6_STATSD_ENABLE_TAGS'] = 'true';
		set['K6_STATSD_ADDR'] = settings.statsdAddr;
	}

	return {env: {...env, ...set}, set: Object.keys(set), removed};
}
