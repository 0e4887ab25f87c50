import {execFileSync} from 'node:child_process';

// A tmux server on a socket of its own (-L), so no user's session is touched, and panes read back with
// capture-pane: what a user of the real terminal sees.

export const sleep = async (milliseconds: number) => new Promise(resolve => {
	setTimeout(resolve, milliseconds);
});

export type Pane = {
	name: string;
	capture(): string;
	/** The screen with wrapped lines joined, as the program wrote them. */
	joined(): string;
	lines(): string[];
	/** One key per send-keys and a short pause, as a person types. */
	keys(...keys: string[]): void;
	resize(columns: number, rows: number): void;
	/** Polls the screen until it shows `what`; fails with the screen after `timeoutMs`. */
	waitFor(what: string | RegExp, timeoutMs?: number): Promise<string>;
	/** Polls until `check` passes on the screen's lines (it throws until then); fails with its last error. */
	waitUntil(check: (lines: string[]) => void, timeoutMs?: number): Promise<void>;
	/** A tmux format for the pane, e.g. #{alternate_on}. */
	flag(format: string): string;
	/** Pid of the pane's shell's only child: the program it runs. */
	childPid(): number;
};

export type TmuxServer = {
	tmux(...args: string[]): string;
	/**
	 * `command` through `sh -c` in a new detached session of `columns`×`rows` with `env` set; after it ends the
	 * pane shows `KMON_EXIT=<code>` and stays open.
	 */
	open(name: string, command: string, size: {columns: number; rows: number}, env?: Record<string, string>): Pane;
	/** Kills every session whose name starts with `prefix` (the keeper stays). */
	killSessions(prefix: string): void;
	/** Kills the server and everything still in it. */
	stop(): void;
};

export function tmuxServer(socket: string): TmuxServer {
	const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, ...args], {encoding: 'utf8'});
	// tmux's server exits with its last session; this one keeps it up between tests.
	tmux('new-session', '-d', '-s', 'keeper', 'sleep', '3600');
	return {
		tmux,
		open(name, command, {columns, rows}, env = {}) {
			const environment = Object.entries({LANG: 'C.UTF-8', ...env}).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
			tmux('new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), ...environment,
				'sh', '-c', `${command}; echo KMON_EXIT=$?; sleep 600`);
			return pane(tmux, name);
		},
		killSessions(prefix) {
			for (const session of tmux('list-sessions', '-F', '#{session_name}').split('\n')) {
				if (session.startsWith(prefix)) {
					try {
						tmux('kill-session', '-t', session);
					} catch {
						// Ended meanwhile.
					}
				}
			}
		},
		stop() {
			try {
				tmux('kill-server');
			} catch {
				// Already gone.
			}
		},
	};
}

function pane(tmux: (...args: string[]) => string, name: string): Pane {
	const capture = () => tmux('capture-pane', '-p', '-t', name);
	const flag = (format: string) => tmux('display-message', '-p', '-t', name, format).trim();
	return {
		name,
		capture,
		joined: () => tmux('capture-pane', '-p', '-J', '-t', name),
		lines: () => capture().split('\n'),
		keys(...keys) {
			for (const key of keys) {
				tmux('send-keys', '-t', name, key);
				execFileSync('sleep', ['0.15']);
			}
		},
		resize(columns, rows) {
			tmux('resize-window', '-t', name, '-x', String(columns), '-y', String(rows));
		},
		async waitFor(what, timeoutMs = 20_000) {
			const deadline = Date.now() + timeoutMs;
			let text = capture();
			while (!(typeof what === 'string' ? text.includes(what) : what.test(text))) {
				if (Date.now() > deadline) {
					throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(what)}; the screen:\n${text}`);
				}

				await sleep(150);
				text = capture();
			}

			return text;
		},
		async waitUntil(check, timeoutMs = 20_000) {
			const deadline = Date.now() + timeoutMs;
			for (;;) {
				try {
					check(capture().split('\n'));
					return;
				} catch (error) {
					if (Date.now() > deadline) {
						throw error;
					}
				}

				await sleep(200);
			}
		},
		flag,
		childPid() {
			const children = execFileSync('pgrep', ['-P', flag('#{pane_pid}')], {encoding: 'utf8'}).trim().split('\n');
			if (children.length !== 1 || !/^\d+$/.test(children[0]!)) {
				throw new Error(`expected one child of the pane's shell, got: ${children.join(', ')}`);
			}

			return Number(children[0]);
		},
	};
}
