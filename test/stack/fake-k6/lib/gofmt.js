// Go's number and duration formatting, as k6 and its StatsD client use them.
// Written for fake-k6: exact where k6's output depends on it (the StatsD wire format, progress lines).

/**
 * strconv.FormatFloat(x, 'f', prec, 64) for prec >= 0: exact decimal rounding of the binary value,
 * ties to even (JavaScript's toFixed rounds ties away from zero instead).
 * @param {number} x
 * @param {number} prec
 * @returns {string}
 */
export function formatFixed(x, prec) {
	if (Number.isNaN(x)) return 'NaN';
	if (x === Infinity) return '+Inf';
	if (x === -Infinity) return '-Inf';
	const negative = x < 0 || Object.is(x, -0);
	const {mantissa, exponent} = decompose(Math.abs(x));
	const scale = 10n ** BigInt(prec);
	let q;
	if (exponent >= 0) {
		q = (mantissa << BigInt(exponent)) * scale;
	} else {
		const num = mantissa * scale;
		const den = 1n << BigInt(-exponent);
		q = num / den;
		const twiceRemainder = (num % den) * 2n;
		if (twiceRemainder > den || (twiceRemainder === den && q % 2n === 1n)) q += 1n;
	}
	let digits = q.toString();
	if (prec > 0) {
		digits = digits.padStart(prec + 1, '0');
		digits = `${digits.slice(0, -prec)}.${digits.slice(-prec)}`;
	}
	return (negative ? '-' : '') + digits;
}

/**
 * strconv.FormatFloat(x, 'f', -1, 64): the shortest decimal that reads back as x, never in exponent form.
 * @param {number} x
 * @returns {string}
 */
export function formatShortest(x) {
	if (Number.isNaN(x)) return 'NaN';
	if (x === Infinity) return '+Inf';
	if (x === -Infinity) return '-Inf';
	const negative = x < 0 || Object.is(x, -0);
	// toExponential() without digits gives the shortest round-trip digits, as Go's shortest mode does.
	const [mantissaText, exponentText] = Math.abs(x).toExponential().split('e');
	const digits = mantissaText.replace('.', '');
	const pointAt = Number(exponentText) + 1; // position of the decimal point after the first digit
	let text;
	if (pointAt <= 0) {
		text = `0.${'0'.repeat(-pointAt)}${digits}`;
	} else if (pointAt >= digits.length) {
		text = digits + '0'.repeat(pointAt - digits.length);
	} else {
		text = `${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
	}
	return (negative ? '-' : '') + text;
}

function decompose(x) {
	const view = new DataView(new ArrayBuffer(8));
	view.setFloat64(0, x);
	const bits = view.getBigUint64(0);
	const biasedExponent = Number((bits >> 52n) & 0x7ffn);
	const fraction = bits & ((1n << 52n) - 1n);
	if (biasedExponent === 0) return {mantissa: fraction, exponent: -1074};
	return {mantissa: fraction | (1n << 52n), exponent: biasedExponent - 1075};
}

const NS = {ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9, d: 86_400e9};

/**
 * Parses a duration the way k6 does for --duration and K6_* settings: Go syntax ("1m30s", "1.5s",
 * "500ms"), k6's extra "d" unit, or a plain number meaning milliseconds.
 * @param {string} text
 * @returns {number} nanoseconds
 */
export function parseDuration(text) {
	const input = String(text).trim();
	if (/^\d+(\.\d+)?$/.test(input)) return Math.round(Number(input) * 1e6);
	const match = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h|d))+$/.exec(input);
	if (!match || input === '') throw new Error(`time: invalid duration "${input}"`);
	let total = 0;
	for (const [, amount, unit] of input.replace(/^[-+]/, '').matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h|d)/g)) {
		total += Number(amount) * NS[unit];
	}
	return Math.round(match[1] === '-' ? -total : total);
}

/**
 * Go's time.Duration.String(): "10s", "1m0s", "1m30s", "1.5s", "500ms", "2h0m0s", "0s".
 * @param {number} ns
 * @returns {string}
 */
export function formatDuration(ns) {
	const sign = ns < 0 ? '-' : '';
	let rest = Math.abs(Math.round(ns));
	if (rest === 0) return '0s';
	if (rest < 1e9) {
		if (rest < 1e3) return `${sign}${rest}ns`;
		if (rest < 1e6) return `${sign}${trimFraction(rest / 1e3)}µs`;
		return `${sign}${trimFraction(rest / 1e6)}ms`;
	}
	const hours = Math.floor(rest / 3600e9);
	rest -= hours * 3600e9;
	const minutes = Math.floor(rest / 60e9);
	rest -= minutes * 60e9;
	const seconds = trimFraction(rest / 1e9);
	if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
	if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
	return `${sign}${seconds}s`;
}

function trimFraction(value) {
	return value.toFixed(9).replace(/\.?0+$/, '');
}

/**
 * k6's pb.GetFixedLengthDuration: the elapsed time d rounded to 100 ms, with as many leading fields as
 * the maximum duration needs ("05.0s" for a 40 s test, "0m05.0s" for a 90 s one, "00h01m05.0s" ...).
 * @param {number} dNs
 * @param {number} maxNs
 * @returns {string}
 */
export function fixedLengthDuration(dNs, maxNs) {
	const rounding = 1e8;
	let d = Math.abs(dNs);
	let max = Math.abs(maxNs);
	if (max < d) max = d;
	max = Math.round(max / rounding) * rounding;
	let tenths = Math.round(d / rounding);
	const buf = '000000d00h00m00.0s'.split('');
	buf[16] = String(tenths % 10);
	tenths = Math.floor(tenths / 10);
	buf[14] = String(tenths % 10);
	tenths = Math.floor(tenths / 10);
	if (max < 10e9) return buf.slice(14).join('');
	buf[13] = String(tenths % 6);
	tenths = Math.floor(tenths / 6);
	if (max < 60e9) return buf.slice(13).join('');
	buf[11] = String(tenths % 10);
	tenths = Math.floor(tenths / 10);
	if (max < 600e9) return buf.slice(11).join('');
	buf[10] = String(tenths % 6);
	tenths = Math.floor(tenths / 6);
	if (max < 3600e9) return buf.slice(10).join('');
	const hours = tenths % 24;
	let days = Math.floor(tenths / 24);
	buf[7] = String(Math.floor(hours / 10));
	buf[8] = String(hours % 10);
	if (max < 36_000e9) return buf.slice(8).join('');
	if (max < 86_400e9) return buf.slice(7).join('');
	buf[5] = String(days % 10);
	days = Math.floor(days / 10);
	let i = 5;
	for (let powers = Math.floor(max / 864_000e9); powers > 0; powers = Math.floor(powers / 10)) {
		i -= 1;
		buf[i] = String(days % 10);
		days = Math.floor(days / 10);
	}
	return buf.slice(i).join('');
}

/**
 * k6's pb.GetFixedLengthIntFormat: zero-padding wide enough for maxValue ("%02d" for 10..99).
 * @param {number} value
 * @param {number} maxValue
 * @returns {string}
 */
export function fixedLengthInt(value, maxValue) {
	const width = String(Math.abs(Math.trunc(maxValue))).length + (maxValue < 0 ? 1 : 0);
	return String(value).padStart(width, '0');
}
