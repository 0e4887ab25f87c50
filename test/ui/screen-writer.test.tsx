import {EventEmitter} from 'node:events';
import {Writable} from 'node:stream';
import {describe, expect, test} from 'vitest';
import {ScreenWriter} from '../../source/ui/screen-writer.js';

const escape = '\u001B';

/** A terminal that records what reaches it. */
class Terminal extends EventEmitter {
	isTTY = true;
	writable = true;
	writableEnded = false;
	writableLength = 0;
	destroyed = false;
	columns = 40;
	rows = 10;
	written: string[] = [];
	write(text: string, callback?: () => void) {
		this.written.push(text);
		callback?.();
		return true;
	}

	cork() {}
	uncork() {}
}

/** A real stream, as the terminal is: what it receives, one entry per system call it would make. */
class RecordingStream extends Writable {
	calls: string[] = [];
	columns = 40;
	rows = 10;
	override _write(chunk: Uint8Array, _encoding: BufferEncoding, done: () => void) {
		this.calls.push(Buffer.from(chunk).toString('utf8'));
		done();
	}

	override _writev(chunks: Array<{chunk: Uint8Array}>, done: () => void) {
		this.calls.push(chunks.map(({chunk}) => Buffer.from(chunk).toString('utf8')).join(''));
		done();
	}
}

const setup = () => {
	const terminal = new Terminal();
	return {terminal, writer: new ScreenWriter(terminal as unknown as NodeJS.WriteStream)};
};

// Ink 6.8's standard renderer: "erase the previous lines" then the frame.
const inkFrame = (previousLines: number, text: string) =>
	(previousLines === 0 ? '' : `${`${escape}[2K${escape}[1A`.repeat(previousLines - 1)}${escape}[2K${escape}[G`) + text;

describe('Given Ink writing frames through the screen writer', () => {
	test('when a frame follows another with one line changed, then only that line reaches the terminal', () => {
		const {terminal, writer} = setup();
		writer.write(inkFrame(0, 'header\nrow 1\nrow 2\n'));
		writer.write(inkFrame(4, 'header\nrow 1 changed\nrow 2\n'));
		expect(terminal.written.at(-1)).toBe(`${escape}[2;1Hrow 1 changed${escape}[K${escape}[4;1H`);
		expect(writer.bytesWritten).toBeLessThan(100);
	});

	test('when the terminal is resized, then the next frame is drawn whole, and resize reaches Ink', () => {
		const {terminal, writer} = setup();
		let resized = 0;
		writer.on('resize', () => resized++);
		writer.write(inkFrame(0, 'a\nb\n'));
		terminal.emit('resize');
		writer.write(inkFrame(3, 'a\nb\n'));
		expect(resized).toBe(1);
		expect(terminal.written.at(-1)).toContain(`${escape}[1;1Ha`);
		expect(terminal.written.at(-1)).toContain(`${escape}[2;1Hb`);
	});

	test.each([
		['cursor hide', `${escape}[?25l`],
		['synchronized output', `${escape}[?2026h`],
	])('when Ink writes %s, then it passes as it is', (_, text) => {
		const {terminal, writer} = setup();
		writer.write(text);
		expect(terminal.written).toEqual([text]);
	});

	test('when Ink clears its lines, then nothing is written and the next frame is whole', () => {
		const {terminal, writer} = setup();
		writer.write(inkFrame(0, 'a\nb\n'));
		writer.write(inkFrame(3, ''));
		writer.write('a\nb\n');
		expect(terminal.written.at(-2)).toBe('');
		expect(terminal.written.at(-1)).toContain(`${escape}[1;1Ha`);
	});

	test('when Ink writes a synchronized update (begin, frame, end) in one go, then the terminal receives it in one write', async () => {
		const terminal = new RecordingStream();
		const writer = new ScreenWriter(terminal as unknown as NodeJS.WriteStream);
		writer.write(`${escape}[?2026h`);
		writer.write(inkFrame(0, 'header\nrow 1\n'));
		writer.write(`${escape}[?2026l`);
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		expect(terminal.calls).toHaveLength(1);
		expect(terminal.calls[0]).toMatch(/^\u001B\[\?2026h.*header.*row 1.*\u001B\[\?2026l$/s);
	});

	test('when kmon stops right after a frame, then the frame reaches the terminal before anything written after it', () => {
		const terminal = new RecordingStream();
		const writer = new ScreenWriter(terminal as unknown as NodeJS.WriteStream);
		writer.write(inkFrame(0, 'last frame\n'));
		writer.dispose();
		terminal.write('restore');
		expect(terminal.calls.join('')).toMatch(/last frame.*restore$/s);
		expect(terminal.calls.at(-1)).toBe('restore');
	});

	test('when Ink waits for its writes to drain, then the callback is called', () => {
		const {writer} = setup();
		let called = false;
		writer.write('', () => {
			called = true;
		});
		expect(called).toBe(true);
	});

	test('when the terminal reports its size, then Ink sees it', () => {
		const {writer} = setup();
		expect([writer.columns, writer.rows, writer.isTTY]).toEqual([40, 10, true]);
	});
});
