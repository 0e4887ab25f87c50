import {execFile} from 'node:child_process';
import {promisify} from 'node:util';

export const prometheusUrl = process.env['KMON_PROMETHEUS_URL'] ?? 'http://127.0.0.1:9090';

const run = promisify(execFile);

/** A direct instant query, independent of kmon's client, for checking kmon's numbers. */
export async function promql(query: string, time?: string): Promise<Array<{metric: Record<string, string>; value: number}>> {
	const parameters = new URLSearchParams({query, ...(time ? {time: String(Date.parse(time) / 1000)} : {})});
	const response = await fetch(`${prometheusUrl}/api/v1/query?${parameters}`);
	const body = await response.json() as {status: string; data: {result: Array<{metric: Record<string, string>; value: [number, string]}>}};
	if (body.status !== 'success') {
		throw new Error(`query failed: ${query}: ${JSON.stringify(body)}`);
	}

	return body.data.result.map(item => ({metric: item.metric, value: Number(item.value[1])}));
}

/** Runs the built kmon binary; resolves with its exit code and output, never throws on a non-zero exit. */
export async function kmon(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{code: number; stdout: string; stderr: string}> {
	try {
		const {stdout, stderr} = await run('node', ['bin/kmon.js', ...args], {env: {...process.env, ...env}, maxBuffer: 64 * 1024 * 1024});
		return {code: 0, stdout, stderr};
	} catch (error) {
		const failure = error as {code: number; stdout: string; stderr: string};
		return {code: failure.code, stdout: failure.stdout, stderr: failure.stderr};
	}
}

/** Polls `probe` until it returns a value, or fails with what it was waiting for. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await probe();
		if (value !== undefined) {
			return value;
		}

		if (Date.now() > deadline) {
			throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
		}

		await new Promise(resolve => {
			setTimeout(resolve, 2000);
		});
	}
}

/**
 * kmon's histories end at the window's end, aligned down to the step (up to one step in the past), so a test
 * that waits for data in a history must wait until the data exists at that earlier time too.
 */
export function aStepAgo(stepSeconds = 5): string {
	return new Date(Date.now() - ((stepSeconds + 1) * 1000)).toISOString();
}
