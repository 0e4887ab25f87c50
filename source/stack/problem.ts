// Errors as values for stack control: every way `kmon up`/`down`/`status` and the container lookup can fail,
// with a kind the UI can switch on, one line saying what is wrong and what to do about it. Never a stack trace.
import {escapeControls} from '../format/escape-controls.js';

export type StackProblemKind =
	/** No Docker socket where kmon looked (Docker not installed or not started). */
	| 'docker-no-socket'
	/** The socket exists but this user may not open it. */
	| 'docker-permission'
	/** The socket exists but nothing answers on it (daemon stopped, stale socket). */
	| 'docker-not-running'
	/** DOCKER_HOST (or the docker context) names a TCP/SSH engine that does not answer. */
	| 'docker-host-unreachable'
	/** TLS to a remote engine failed (certificates, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH). */
	| 'docker-tls'
	/** The engine took too long to answer. */
	| 'docker-timeout'
	/** The engine answered with an error. */
	| 'docker-api'
	/** DOCKER_HOST or the docker context cannot be understood. */
	| 'docker-config'
	/** Neither `docker compose` nor `docker-compose` works. */
	| 'compose-missing'
	/** A compose CLI too old for the stack file (profiles need docker-compose >= 1.28). */
	| 'compose-too-old'
	/** The compose CLI ran and failed. */
	| 'compose-failed'
	/** The bundled stack/compose.yml is not where the package should have it. */
	| 'stack-files-missing'
	/** Containers did not become healthy in time, or exited. */
	| 'stack-unhealthy'
	/** Prometheus did not report ready in time. */
	| 'prometheus-not-ready';

export type StackProblem = {
	kind: StackProblemKind;
	/** One line: what is wrong. */
	message: string;
	/** What to do about it; may span lines. */
	fix: string;
	/** Extra evidence (compose output, log tail), shown under the message when present. */
	details?: string[];
};

export type StackOutcome<T> = {ok: true; value: T} | {ok: false; problem: StackProblem};

export function problem(kind: StackProblemKind, message: string, fix: string, details?: string[]): StackProblem {
	return details && details.length > 0 ? {kind, message, fix, details} : {kind, message, fix};
}

/**
 * Lines for a terminal: "kmon: <message>", the evidence indented, then the fix. Messages and evidence carry
 * Docker's and compose's text, so every line leaves with its control characters escaped.
 */
export function describeProblem(found: StackProblem): string[] {
	return [
		`kmon: ${found.message}`,
		...(found.details ?? []).map(line => `  │ ${line}`),
		...found.fix.split('\n').map(line => `  → ${line}`),
	].map(line => escapeControls(line));
}
