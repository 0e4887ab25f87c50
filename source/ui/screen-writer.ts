import {EventEmitter} from 'node:events';
import process from 'node:process';
import {frameUpdate, readInkWrite} from './frame-diff.js';

/**
 * The stream Ink renders into, in front of the terminal. Ink 6.8 redraws the whole frame on every update,
 * and its incremental mode is off by one line whenever a frame ends in a newline, which every frame shorter
 * than the terminal does (fixed in Ink 7 by ink#910; Ink 7 needs Node 22). kmon draws on the alternate
 * screen, where its frame always starts at the top-left, so this stream can turn each of Ink's frames into
 * only the lines that changed, written at absolute rows: fewer bytes over SSH, and no line redrawn that did
 * not change. Anything it does not recognise as a frame passes through, and the next frame is drawn whole.
 */
/**
 * Frames between whole repaints (about one a minute at one poll every 2 s): whatever else reached the terminal
 * (a warning on stderr, a `wall` message) is painted over, for a few kilobytes.
 */
const repaintEvery = 30;

export class ScreenWriter extends EventEmitter {
	readonly isTTY = true;
	/** What is on the terminal from the top row, as far as this stream knows; null forces a whole frame. */
	private screen: string[] | null = null;
	private written = 0;
	private frames = 0;
	private holding = false;

	constructor(private readonly terminal: NodeJS.WriteStream) {
		super();
		terminal.on('resize', this.onResize);
	}

	get columns(): number {
		return this.terminal.columns;
	}

	get rows(): number {
		return this.terminal.rows;
	}

	get writable(): boolean {
		return this.terminal.writable;
	}

	get writableEnded(): boolean {
		return this.terminal.writableEnded;
	}

	get writableLength(): number {
		return this.terminal.writableLength;
	}

	get destroyed(): boolean {
		return this.terminal.destroyed;
	}

	/** Bytes sent to the terminal so far (for the benchmark). */
	get bytesWritten(): number {
		return this.written;
	}

	write(chunk: string | Uint8Array, encodingOrCallback?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): boolean {
		const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
		const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
		const write = readInkWrite(text);
		let out: string;
		switch (write.kind) {
			case 'control': {
				out = text;
				break;
			}

			case 'clear': {
				// Ink erased its lines; the next frame repaints every row, which erases them as well, without a blank flash.
				this.screen = null;
				out = '';
				break;
			}

			case 'frame': {
				// Now and then a whole frame, so anything else that wrote to the terminal is painted over.
				if (++this.frames % repaintEvery === 0) {
					this.screen = null;
				}

				out = frameUpdate(this.screen, write.lines, write.endsWithNewline, this.terminal.rows || undefined);
				this.screen = write.lines;
				break;
			}
		}

		this.written += Buffer.byteLength(out);
		this.holdUntilTickEnds();
		return done ? this.terminal.write(out, done) : this.terminal.write(out);
	}

	/**
	 * Ink writes a frame as three writes in one go (begin synchronized update, the frame, end it). Held back
	 * until the tick ends, they leave as one: one system call instead of three, and over SSH one packet, so a
	 * terminal never sees the start of an update without its end.
	 */
	private holdUntilTickEnds(): void {
		if (this.holding) {
			return;
		}

		this.holding = true;
		this.terminal.cork();
		process.nextTick(() => {
			this.release();
		});
	}

	private release(): void {
		if (this.holding) {
			this.holding = false;
			this.terminal.uncork();
		}
	}

	/** Forget the screen: the next frame is drawn whole (after a resize, or to heal anything else that wrote). */
	repaint(): void {
		this.screen = null;
	}

	/** Stops listening, and sends what is held now: the terminal is restored right after, and kmon may exit. */
	dispose(): void {
		this.terminal.off('resize', this.onResize);
		this.release();
	}

	private readonly onResize = () => {
		// The terminal may have reflowed or scrolled what was there.
		this.screen = null;
		this.emit('resize');
	};
}
