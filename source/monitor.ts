import process from 'node:process';
import type {Config} from './config/config.js';

/**
 * `kmon` without --once: the full-screen monitor, and what happens to a k6 run it started when it quits.
 * Ink and React load only here, so --once stays light and never writes terminal control codes.
 */
export async function runMonitor(config: Config, flags: {stopGrace?: string | undefined}): Promise<number> {
	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		process.stderr.write('kmon: the monitor needs a terminal; for scripts use kmon --once (or kmon --once --json)\n');
		return 2;
	}

	const {resolveK6Options} = await import('./k6/k6-options.js');
	const k6 = resolveK6Options({stopGrace: flags.stopGrace}, process.env);
	if (!k6.ok) {
		process.stderr.write(`kmon: ${k6.problem.message} (${k6.problem.fix})\n`);
		return 2;
	}

	const {startUi} = await import('./ui/start.js');
	const {createRunController} = await import('./k6/run-controller.js');
	const {createRunKeys} = await import('./k6/run-keys.js');
	const controller = createRunController({config, k6: k6.value});
	const runs = createRunKeys(controller, config.k6Script);
	const {createStackOffer} = await import('./stack/stack-offer.js');
	const stack = createStackOffer(config.prometheusUrl);
	const code = await startUi(config, {runs, stack});
	if (stack.starting()) {
		// Compose goes on by itself; kmon only stops waiting for it (bin/kmon.js exits with the code).
		process.stderr.write('kmon: the monitoring stack is still starting (u); kmon status shows how far it got, kmon down stops it\n');
	}

	if (controller.state.status === 'stopping') {
		// Asked to stop (x) before quitting: see it through, or a hung k6 would outlive its hard stop.
		process.stderr.write('kmon: waiting for k6 to stop (hard stop after the grace period)…\n');
		await controller.settled();
	} else if (controller.state.status === 'running') {
		// Quitting never orphans a run silently: it goes on, logging to its folder, and says how to stop it.
		controller.detach();
		const run = controller.state.run;
		process.stderr.write(`kmon: k6 run ${run?.id ?? ''} left running (pid ${run?.pid ?? '?'}), logging to ${run?.folder ?? 'its run folder'}; stop it with: kmon runs stop ${run?.id ?? 'ID'}\n`);
	} else if (controller.state.summary.state === 'pending') {
		// The run has ended and its summary waits for Prometheus to scrape k6's last numbers: say so, and let
		// Ctrl-C give it up rather than leave a silent shell for up to the wait.
		process.stderr.write(`kmon: saving the k6 run's summary once Prometheus has its last numbers (at most ${k6.value.summaryWaitMs / 1000}s; Ctrl-C skips it)…\n`);
		const skip = () => {
			controller.skipSummary();
		};

		process.once('SIGINT', skip);
		await controller.settled();
		process.off('SIGINT', skip);
	}

	controller.dispose();
	return code;
}
