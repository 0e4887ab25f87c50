// Numbers as people read them. Every function takes `null` (unknown) and shows it as a dash, never as 0.

export const unknown = '–';

const byteUnits = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB" (powers of 1024, the units `docker stats` and cAdvisor dashboards use). */
export function formatBytes(bytes: number | null): string {
	if (bytes === null) {
		return unknown;
	}

	let value = bytes;
	let unit = 0;
	while (Math.abs(value) >= 1024 && unit < byteUnits.length - 1) {
		value /= 1024;
		unit++;
	}

	return `${unit === 0 ? Math.round(value) : value.toFixed(value >= 100 ? 0 : 1)} ${byteUnits[unit]}`;
}

export function formatBytesPerSecond(bytes: number | null): string {
	return bytes === null ? unknown : `${formatBytes(bytes)}/s`;
}

/** 1234 → "1.2k", 12 → "12", 0.25 → "0.25": short counts for tables. */
export function formatCount(value: number | null): string {
	if (value === null) {
		return unknown;
	}

	const magnitude = Math.abs(value);
	if (magnitude >= 1e9) {
		return `${(value / 1e9).toFixed(1)}G`;
	}

	if (magnitude >= 1e6) {
		return `${(value / 1e6).toFixed(1)}M`;
	}

	if (magnitude >= 1e4) {
		return `${Math.round(value / 1e3)}k`;
	}

	if (magnitude >= 1e3) {
		return `${(value / 1e3).toFixed(1)}k`;
	}

	if (magnitude >= 10 || Number.isInteger(value)) {
		return String(Math.round(value));
	}

	return value.toFixed(magnitude >= 1 ? 1 : 2);
}

export function formatRate(perSecond: number | null, unit = '/s'): string {
	return perSecond === null ? unknown : `${formatCount(perSecond)}${unit}`;
}

export function formatPercent(percent: number | null): string {
	if (percent === null) {
		return unknown;
	}

	return `${percent >= 10 || percent === 0 ? Math.round(percent) : percent.toFixed(1)}%`;
}

export function formatMilliseconds(milliseconds: number | null): string {
	if (milliseconds === null) {
		return unknown;
	}

	if (!Number.isFinite(milliseconds)) {
		return '>max';
	}

	if (milliseconds >= 1000) {
		return `${(milliseconds / 1000).toFixed(milliseconds >= 10_000 ? 0 : 1)}s`;
	}

	return `${milliseconds >= 10 ? Math.round(milliseconds) : milliseconds.toFixed(1)}ms`;
}

/** 3725 → "1h2m": a time span such as time to drain or an age. */
export function formatSpan(seconds: number | null): string {
	if (seconds === null) {
		return unknown;
	}

	if (seconds < 60) {
		return `${Math.round(seconds)}s`;
	}

	if (seconds < 3600) {
		if (Math.round(seconds) % 60 === 0) {
			return `${Math.round(seconds) / 60}m`;
		}

		return `${Math.floor(seconds / 60)}m${String(Math.round(seconds % 60)).padStart(2, '0')}s`;
	}

	if (seconds < 86_400) {
		return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
	}

	return `${Math.floor(seconds / 86_400)}d`;
}
