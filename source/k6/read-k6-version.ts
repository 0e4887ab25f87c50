import {execFile} from 'node:child_process';
import {fail, type Outcome, succeed} from './problem.js';

const timeoutMs = 10_000;

/**
 * What `k6 version --json` prints, or `k6 version` when this k6 is too old for --json (it then fails with an
 * unknown-flag error). The JSON lists extensions unambiguously; the text is the fallback every k6 has.
 */
export async function readK6Version(binary: string, env: NodeJS.ProcessEnv): Promise<Outcome<string>> {
	const json = await capture(binary, ['version', '--json'], env);
	if (json.ok && json.value.trim().startsWith('{')) {
		return json;
	}

	const text = await capture(binary, ['version'], env);
	if (!text.ok) {
		return text;
	}

	return succeed(text.value);
}

async function capture(binary: string, args: string[], env: NodeJS.ProcessEnv): Promise<Outcome<string>> {
	return new Promise(resolve => {
		execFile(binary, args, {env, timeout: timeoutMs, maxBuffer: 1024 * 1024}, (error, stdout, stderr) => {
			if (error) {
				const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (stderr.trim().split('\n')[0] || error.message);
				resolve(fail('k6-version-failed', `"${binary} ${args.join(' ')}" failed: ${reason}`, 'check that --k6 / K6_BIN points at a working k6'));
				return;
			}

			resolve(succeed(stdout));
		});
	});
}
