/** Windows `+` and `-` step through, as in Grafana's time picker. */
export const windowSteps: readonly number[] = [
	60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

/** The next longer (+1) or shorter (-1) window; a configured window between steps moves to its neighbour. */
export function steppedWindow(rangeMs: number, step: 1 | -1): number {
	if (step > 0) {
		return windowSteps.find(candidate => candidate > rangeMs) ?? rangeMs;
	}

	return windowSteps.findLast(candidate => candidate < rangeMs) ?? rangeMs;
}
