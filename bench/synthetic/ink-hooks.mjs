// Module resolve hook for the UI probe (ui-probe.mjs): kmon's `import … from 'ink'` gets ink-shim.mjs, which
// is Ink with a render() that records Ink's own per-frame render time. The shim itself gets the real Ink.
const shim = new URL('ink-shim.mjs', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
	if (specifier === 'ink' && context.parentURL !== shim) {
		return {url: shim, shortCircuit: true};
	}

	return nextResolve(specifier, context);
}
