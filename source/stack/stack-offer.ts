import process from 'node:process';
import {connectDocker} from './docker-client.js';
import {configuredBrokers, extraFilesFromEnv, locateStack} from './stack-files.js';
import {startStack} from './start-stack.js';

/** What the monitor's `u` key drives while Prometheus does not answer (the UI's StackControls). */
export type StackOffer = {
	/** One line for the header, or null when there is nothing to offer. */
	status(): string | null;
	subscribe(listener: () => void): () => void;
	/** Prometheus does not answer: find out (once) whether Docker could start the stack. */
	check(): void;
	start(): void;
	/** u's `kmon up` is still going (compose up, or waiting for healthy services). */
	starting(): boolean;
};

/**
 * The attach-or-start half of kmon: when the Prometheus kmon watches is local and does not answer, and Docker
 * is reachable, `u` runs `kmon up` in place, its progress in the header; when Docker is not reachable either,
 * the line says exactly what is missing and what to do. A remote Prometheus is not offered a local stack.
 *
 * `u` uses the settings `kmon up` would (the stack's env file, KMON_STACK_FILES). Where they name no Kafka
 * (KMON_KAFKA_BROKERS), the exporters would point at the demo broker's name, so `u` starts that broker too
 * (`kmon up --with-kafka`) and the offer says so.
 */
export function createStackOffer(prometheusUrl: string, env: NodeJS.ProcessEnv = process.env): StackOffer {
	const listeners = new Set<() => void>();
	let line: string | null = null;
	let checked = false;
	let starting = false;
	let withKafka = false;
	const say = (text: string | null) => {
		line = text;
		for (const listener of listeners) {
			listener();
		}
	};

	const local = ['localhost', '127.0.0.1', '[::1]'].includes(new URL(prometheusUrl).hostname);
	return {
		status: () => line,
		starting: () => starting,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		check() {
			if (checked || !local) {
				return;
			}

			checked = true;
			void connectDocker({env}).then(docker => {
				if (!docker.ok) {
					say(`Prometheus does not answer, and Docker cannot start it: ${docker.problem.message} — ${docker.problem.fix}`);
					return;
				}

				const files = locateStack({env});
				const brokers = files.ok ? configuredBrokers(files.value, env) : null;
				withKafka = brokers === null;
				say(`Prometheus does not answer: u starts the stack with Docker (kmon up${withKafka ? ' --with-kafka: KMON_KAFKA_BROKERS unset' : `, Kafka at ${brokers}`})`);
			});
		},
		start() {
			if (!local || starting || !checked || line?.startsWith('Prometheus does not answer, and Docker') || line?.startsWith('stack up')) {
				return;
			}

			starting = true;
			say('starting the monitoring stack…');
			void startStack({withKafka, extraFiles: extraFilesFromEnv(env), env, timeoutMs: 240_000}, progress => {
				say(`starting the monitoring stack: ${progress.replaceAll(/\s+/g, ' ').trim()}`);
			}).then(outcome => {
				starting = false;
				if (outcome.ok) {
					say(`stack up: Prometheus ${outcome.value.prometheusUrl}`);
				} else {
					say(`the stack did not start: ${outcome.problem.message} — ${outcome.problem.fix}`);
				}
			});
		},
	};
}
