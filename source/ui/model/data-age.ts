/**
 * The age of the data in coarse steps. Ink keeps every distinct text it ever measured (ink#986), so a label
 * that ticked every second would grow memory forever; these few labels are all the header can ever show.
 */
const steps: ReadonlyArray<[seconds: number, label: string]> = [
	[0, '<5s'], [5, '5s'], [10, '10s'], [15, '15s'], [30, '30s'], [45, '45s'],
	[60, '1m'], [120, '2m'], [180, '3m'], [300, '5m'], [600, '10m'], [900, '15m'], [1800, '30m'], [2700, '45m'],
	[3600, '1h'], [7200, '2h'], [10_800, '3h'], [21_600, '6h'], [43_200, '12h'], [86_400, '1d'], [172_800, '2d'], [604_800, '1w'],
];

export type CoarseAge = {
	label: string;
	/** Milliseconds until the label changes; null when it never will. */
	changesInMs: number | null;
};

export function coarseAge(ageMs: number): CoarseAge {
	const seconds = Math.max(0, ageMs) / 1000;
	let index = 0;
	while (index + 1 < steps.length && steps[index + 1]![0] <= seconds) {
		index++;
	}

	const following = steps[index + 1];
	return {
		label: steps[index]![1],
		changesInMs: following ? Math.ceil((following[0] - seconds) * 1000) : null,
	};
}
