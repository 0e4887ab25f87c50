import {accessSync, constants, statSync} from 'node:fs';
import path from 'node:path';
import {fail, type Outcome, succeed} from './problem.js';

export type K6Binary = {
	/** Absolute path of the executable. */
	path: string;
	/** Where kmon found it, so a wrong pick can be traced back to the setting that caused it. */
	from: '--k6' | 'K6_BIN' | 'PATH';
};

type Sources = {
	/** Value of --k6, if given. */
	flag?: string | undefined;
	env: NodeJS.ProcessEnv;
	cwd: string;
};

/**
 * Which k6 to run: --k6, else K6_BIN, else the first `k6` on PATH. A value with a slash is a path (relative to
 * the working directory); a bare name is looked up on PATH, so `--k6 k6-statsd` works for a renamed custom build.
 */
export function findK6Binary({flag, env, cwd}: Sources): Outcome<K6Binary> {
	const pathList = (env['PATH'] ?? '').split(path.delimiter).filter(Boolean);
	const chosen: Array<[K6Binary['from'], string | undefined]> = [['--k6', flag], ['K6_BIN', env['K6_BIN']]];
	for (const [from, value] of chosen) {
		if (!value) {
			continue;
		}

		if (value.includes('/') || value.includes(path.sep)) {
			const absolute = path.resolve(cwd, value);
			const problem = executableProblem(absolute);
			return problem
				? fail('k6-not-executable', `${from} names ${absolute}, which ${problem}`, fixFor(problem, absolute))
				: succeed({path: absolute, from});
		}

		const found = searchPath(value, pathList);
		return found
			? succeed({path: found, from})
			: fail('k6-not-found', `${from} names "${value}", which is not on PATH`, 'give a path (--k6 ./k6) or add its folder to PATH');
	}

	const found = searchPath('k6', pathList);
	if (found) {
		return succeed({path: found, from: 'PATH'});
	}

	return fail(
		'k6-not-found',
		'k6 not found: no --k6 flag, no K6_BIN, and no k6 on PATH',
		'pass --k6 /path/to/k6, set K6_BIN=/path/to/k6, or put k6 on PATH (StatsD needs a build with the output-statsd extension: xk6 build --with github.com/LeonAdato/xk6-output-statsd)',
	);
}

function searchPath(name: string, folders: string[]): string | undefined {
	for (const folder of folders) {
		const candidate = path.join(folder, name);
		if (executableProblem(candidate) === undefined) {
			return candidate;
		}
	}

	return undefined;
}

/** Why a file cannot be run, or undefined when it can. */
function executableProblem(file: string): string | undefined {
	try {
		if (!statSync(file).isFile()) {
			return 'is not a file';
		}
	} catch {
		return 'does not exist';
	}

	try {
		accessSync(file, constants.X_OK);
		return undefined;
	} catch {
		return 'is not executable';
	}
}

function fixFor(problem: string, file: string): string {
	return problem === 'is not executable' ? `chmod +x ${file}` : 'check the path given to --k6 or K6_BIN';
}
