// k6 logs with logrus' TextFormatter. Without a terminal (how kmon runs k6: stdout and stderr are pipes)
// a line looks like:  time="2026-01-02T15:04:05Z" level=error msg="..." hint="..."
// on stderr: time, level, msg first, then the other fields sorted by key.

/**
 * Go's time.RFC3339 in local time ("2026-01-02T15:04:05Z" in UTC, "...+02:00" elsewhere).
 * @param {Date} date
 */
export function rfc3339(date) {
	const offsetMinutes = -date.getTimezoneOffset();
	const pad = (n) => String(n).padStart(2, '0');
	const local = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
	if (offsetMinutes === 0) return `${local}Z`;
	const sign = offsetMinutes > 0 ? '+' : '-';
	const abs = Math.abs(offsetMinutes);
	return `${local}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

function needsQuoting(text) {
	if (text === '') return false;
	return !/^[A-Za-z0-9\-._/@^+]+$/.test(text);
}

function formatValue(value) {
	const text = String(value);
	return needsQuoting(text) ? JSON.stringify(text) : text;
}

/**
 * One logrus text line (without the newline).
 * @param {'debug'|'info'|'warning'|'error'|'fatal'} level
 * @param {string} msg
 * @param {Record<string, unknown>} [fields]
 * @param {Date} [now]
 */
export function formatLogLine(level, msg, fields = {}, now = new Date()) {
	const parts = [`time=${formatValue(rfc3339(now))}`, `level=${level}`];
	if (msg !== '') parts.push(`msg=${formatValue(msg)}`);
	for (const key of Object.keys(fields).sort()) parts.push(`${key}=${formatValue(fields[key])}`);
	return parts.join(' ');
}

/** A logger writing k6-style lines to a stream (stderr by default). */
export class Logger {
	/** @param {{write(chunk: string): unknown}} [stream] */
	constructor(stream = process.stderr) {
		this.stream = stream;
	}

	/** @param {'debug'|'info'|'warning'|'error'} level @param {string} msg @param {Record<string, unknown>} [fields] */
	log(level, msg, fields) {
		this.stream.write(`${formatLogLine(level, msg, fields)}\n`);
	}

	info(msg, fields) {
		this.log('info', msg, fields);
	}

	warn(msg, fields) {
		this.log('warning', msg, fields);
	}

	error(msg, fields) {
		this.log('error', msg, fields);
	}
}
