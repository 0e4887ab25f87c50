// Reads a failed compose run's output and says what went wrong in the user's terms. Pure: tests feed it the
// messages real compose CLIs (v1 and v2) and engines print.
import {problem, type StackProblem} from './problem.js';

const portVariables = 'KMON_PROMETHEUS_PORT, KMON_KAFKA_EXPORTER_PORT, KMON_JMX_EXPORTER_PORT, KMON_CADVISOR_PORT, KMON_STATSD_PORT, KMON_STATSD_EXPORTER_PORT, KMON_DEMO_KAFKA_PORT';

export function composeFailure(action: string, lines: string[], exitCode: number | null): StackProblem {
	const text = lines.join('\n');
	const evidence = lines.filter(line => line.trim()).slice(-12);

	const port = /(?:port is already allocated|address already in use)/i.test(text)
		? /(?:\d{1,3}(?:\.\d{1,3}){3}|\[?::\]?):(\d+)(?:\s+failed|:\s*bind)/i.exec(text)?.[1] ?? /:(\d{2,5})\b/.exec(text)?.[1]
		: undefined;
	if (port !== undefined) {
		return problem('compose-failed', `${action} failed: host port ${port} is already in use`,
			`stop what listens on ${port} (ss -ltnup | grep ${port} shows it), or move the stack to other ports\n`
			+ `in its env file (--env-file, or stack/.env): ${portVariables}`, evidence);
	}

	if (/pull access denied|manifest unknown|manifest for .* not found|toomanyrequests|unauthorized: authentication required|error pulling image|failed to resolve reference|registry-1\.docker\.io|ghcr\.io\/v2|dial tcp.*(?:i\/o timeout|no such host)/i.test(text)) {
		return problem('compose-failed', `${action} failed: Docker could not pull the stack's images`,
			'check that this machine reaches Docker Hub and ghcr.io (proxy settings of the Docker daemon),\n'
			+ 'docker login if Docker Hub rate-limits you, then run kmon up again', evidence);
	}

	if (/unable to apply caps|operation not permitted.*privileged|privileged mode is incompatible/i.test(text)) {
		return problem('compose-failed', `${action} failed: this Docker engine cannot run a privileged container (cAdvisor asks for one)`,
			'rootless Docker and restricted hosts refuse privileged containers. Run kmon up --file OVERRIDE.yml with:\n'
			+ '  services: {cadvisor: {privileged: false}}\n'
			+ '(cAdvisor then sees a little less, e.g. no OOM events from /dev/kmsg)', evidence);
	}

	if (/network .* (?:declared as external, but could not be found|not found)/i.test(text)) {
		return problem('compose-failed', `${action} failed: the network named in KMON_NETWORK does not exist`,
			'docker network ls lists the networks; set KMON_NETWORK to one of them, or unset KMON_NETWORK_EXTERNAL to let compose create kmon', evidence);
	}

	if (/no such image|image .* not found|No such image/i.test(text)) {
		return problem('compose-failed', `${action} failed: an image of the stack is missing and could not be fetched`,
			'run kmon up with network access to the registries, or load the images with docker load', evidence);
	}

	return problem('compose-failed', `${action} failed (exit ${exitCode ?? 'by signal'})`,
		'the compose output above says why; docker compose logs for more', evidence);
}
