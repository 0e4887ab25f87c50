// Ink, as kmon sees it under the UI probe: everything re-exported unchanged, except render(), which adds an
// onRender callback (Ink's RenderMetrics.renderTime: building the frame's output from the laid-out tree)
// that keeps the times in globalThis.__kmonBenchRenderTimes for ui-probe.mjs. Any onRender of kmon's own
// still runs.
import {render as realRender} from 'ink';

export * from 'ink';

export function render(tree, options) {
	const object = options && typeof options.write === 'function' ? {stdout: options} : {...options};
	const theirs = object.onRender;
	object.onRender = metrics => {
		globalThis.__kmonBenchRenderTimes?.push(metrics.renderTime);
		theirs?.(metrics);
	};

	return realRender(tree, object);
}
