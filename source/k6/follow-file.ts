import {closeSync, openSync, readSync} from 'node:fs';
import {StringDecoder} from 'node:string_decoder';

// k6 writes straight into the run's log files (not through a pipe to kmon), so its output survives kmon quitting
// and a detached run keeps logging. kmon follows the files like `tail -f`: it reads what was appended since the
// last read, on a timer and once more when k6 ends.

export type FileFollower = {
	/** Reads everything appended since the last call and hands it on; returns the number of bytes read. */
	readNew(): number;
	close(): void;
};

const chunkBytes = 64 * 1024;

export function followFile(file: string, onText: (text: string) => void): FileFollower {
	const fd = openSync(file, 'r');
	const decoder = new StringDecoder('utf8');
	const buffer = Buffer.alloc(chunkBytes);
	let position = 0;
	let closed = false;
	return {
		readNew() {
			if (closed) {
				return 0;
			}

			let total = 0;
			for (;;) {
				const read = readSync(fd, buffer, 0, buffer.length, position);
				if (read === 0) {
					break;
				}

				position += read;
				total += read;
				// The decoder holds back a UTF-8 sequence cut at the chunk's end until the rest arrives.
				const text = decoder.write(buffer.subarray(0, read));
				if (text) {
					onText(text);
				}
			}

			return total;
		},
		close() {
			if (!closed) {
				closed = true;
				closeSync(fd);
			}
		},
	};
}

/** Splits a stream of text into whole lines, keeping an unfinished last line for the next chunk. */
export function lineSplitter(onLine: (line: string) => void): {push(text: string): void; flush(): void} {
	let rest = '';
	return {
		push(text) {
			const parts = (rest + text).split('\n');
			rest = parts.pop() ?? '';
			for (const part of parts) {
				onLine(part.replace(/\r$/, ''));
			}
		},
		flush() {
			if (rest) {
				onLine(rest.replace(/\r$/, ''));
				rest = '';
			}
		},
	};
}
