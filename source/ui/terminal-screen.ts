import {closeSync, writeSync} from 'node:fs';
import process from 'node:process';

const enterAlternateScreen = '\u001B[?1049h\u001B[H';
const leaveAlternateScreen = '\u001B[?1049l';
const showCursor = '\u001B[?25h';
// Auto-wrap off: a line that is momentarily wider than the terminal (Ink redraws the old frame at the new
// width before the screen re-lays itself out after a resize) is clipped instead of wrapping and scrolling.
const autoWrapOff = '\u001B[?7l';
const autoWrapOn = '\u001B[?7h';

export type FullScreen = {
	/** Cursor shown, alternate screen left; safe to call more than once. */
	restore(): void;
};

/**
 * The alternate screen, as k9s and lazydocker use: the shell's screen and scrollback come back untouched on
 * quit. The restore (cursor, auto-wrap, main screen) also runs on process exit, so a crash cannot leave the
 * terminal without a cursor.
 *
 * When the terminal goes away (window closed, SSH dropped), every write fails with EIO, reported as an 'error'
 * event: unhandled, it crashed kmon before it could detach a k6 run and record it. Such errors now call
 * `onTerminalGone` once (the monitor quits as on SIGHUP) and are otherwise dropped: nobody is left to read.
 */
export function enterFullScreen(stdout: NodeJS.WriteStream, onTerminalGone: () => void = () => undefined): FullScreen {
	let gone = false;
	const onWriteError = () => {
		if (!gone) {
			gone = true;
			onTerminalGone();
		}
	};

	stdout.on('error', onWriteError);
	process.stderr.on('error', onWriteError);
	process.once('exit', () => {
		if (gone) {
			// Node 20 aborts at exit (SIGABRT, "Assertion failed" in ResetStdio) when it cannot reset a terminal that
			// is gone (nodejs/node#51519, fixed by #58200 in later releases); it skips descriptors that are closed.
			for (const fd of [0, 1, 2]) {
				try {
					closeSync(fd);
				} catch {
					// Already closed.
				}
			}
		}
	});
	let restored = false;
	const restore = (write: (text: string) => void) => {
		if (restored) {
			return;
		}

		restored = true;
		try {
			write(autoWrapOn + showCursor + leaveAlternateScreen);
		} catch {
			// The terminal is gone (SIGHUP): nothing left to restore.
		}
	};

	const onExit = () => {
		restore(text => writeSync((stdout as NodeJS.WriteStream & {fd?: number}).fd ?? 1, text));
	};

	stdout.write(enterAlternateScreen + autoWrapOff);
	process.once('exit', onExit);
	return {
		restore() {
			process.off('exit', onExit);
			restore(text => stdout.write(text));
		},
	};
}
