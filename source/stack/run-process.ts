// Runs a child process from an argument vector (never a shell string), hands each output line to a callback
// as it comes, and keeps the last lines for error messages. Never throws: a missing program is a value too.
import {spawn} from 'node:child_process';
import {createInterface} from 'node:readline';

export type ProcessResult = {
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	/** The last `keepLines` lines of stdout and stderr, interleaved as they arrived. */
	lines: string[];
	/** Set when the program could not be started (ENOENT: not installed). */
	spawnError?: NodeJS.ErrnoException;
	timedOut: boolean;
};

export type RunOptions = {
	env?: NodeJS.ProcessEnv;
	cwd?: string;
	onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
	timeoutMs?: number;
	keepLines?: number;
};

export async function runProcess(argv: string[], options: RunOptions = {}): Promise<ProcessResult> {
	const [command, ...args] = argv;
	const keep = options.keepLines ?? 200;
	const lines: string[] = [];
	if (!command) {
		return {exitCode: null, signal: null, lines, spawnError: Object.assign(new Error('empty command'), {code: 'EINVAL'}), timedOut: false};
	}

	return new Promise(resolve => {
		let timedOut = false;
		let spawnError: NodeJS.ErrnoException | undefined;
		const child = spawn(command, args, {env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe']});
		const timer = options.timeoutMs === undefined
			? undefined
			: setTimeout(() => {
				timedOut = true;
				child.kill('SIGTERM');
			}, options.timeoutMs);
		const closed: Array<Promise<void>> = [];
		for (const stream of ['stdout', 'stderr'] as const) {
			const readable = child[stream];
			const reader = createInterface({input: readable, crlfDelay: Number.POSITIVE_INFINITY});
			reader.on('line', line => {
				// Progress redraws use carriage returns; keep the last state of the line.
				const text = line.split('\r').filter(Boolean).at(-1) ?? '';
				lines.push(text);
				if (lines.length > keep) {
					lines.shift();
				}

				options.onLine?.(text, stream);
			});
			closed.push(new Promise(done => {
				reader.once('close', done);
			}));
		}

		child.once('error', error => {
			spawnError = error;
		});
		child.once('close', (exitCode, signal) => {
			clearTimeout(timer);
			void Promise.all(closed).then(() => {
				resolve({exitCode, signal, lines, timedOut, ...(spawnError ? {spawnError} : {})});
			});
		});
	});
}
