import {writeSync} from 'node:fs';
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
 */
export function enterFullScreen(stdout: NodeJS.WriteStream): FullScreen {
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
