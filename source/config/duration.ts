const units: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000};

/** Parses "500ms", "2s", "5m", "1h" or "1m30s" into milliseconds; a bare number means seconds. */
export function parseDuration(text: string): number | undefined {
	const trimmed = text.trim();
	if (/^\d+(\.\d+)?$/.test(trimmed)) {
		return Number(trimmed) * 1000;
	}

	const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
	if (parts.length === 0 || parts.map(part => part[0]).join('') !== trimmed) {
		return undefined;
	}

	return parts.reduce((total, [, amount, unit]) => total + (Number(amount) * units[unit!]!), 0);
}

/** "90000" ms → "1m30s": the short form people type. */
export function formatDuration(milliseconds: number): string {
	if (milliseconds < 1000) {
		return `${milliseconds}ms`;
	}

	let seconds = Math.round(milliseconds / 1000);
	const hours = Math.floor(seconds / 3600);
	seconds -= hours * 3600;
	const minutes = Math.floor(seconds / 60);
	seconds -= minutes * 60;
	return [hours && `${hours}h`, minutes && `${minutes}m`, seconds && `${seconds}s`].filter(Boolean).join('') || '0s';
}
