/**
 * What each domain's first wave of queries chose on the last polls (the busiest containers, the consumer groups
 * that get a row, the k6 tag values shown), kept by a caller that polls. Keyed by the wave's name.
 */
export type ChoiceMemo = Map<string, Remembered>;

type Remembered = {key: string; choice: unknown; steady: boolean};

/** Asks the wave for what the first wave chose; `undefined` (nothing chosen) asks nothing. */
export type Wave<C, T> = {
	(choice: C): Promise<T>;
	(choice: C | undefined): Promise<T | undefined>;
};

/**
 * A wave of queries that depends on what an earlier wave chose (the details of the busiest rows). With a
 * memo it is asked at once, with the first wave, on the last poll's choice, instead of after the first wave
 * answers: one request to Prometheus, and one wake of the process, less per poll. Its answer is used only when
 * the first wave chooses the same again (compared as a set: the order of a choice does not change the answers).
 *
 * Only a choice that stayed the same from one poll to the next is guessed again, so a top-N that churns
 * (a thousand containers close in CPU) costs no wasted queries after its first change.
 */
export function nextWave<C, T>(memo: ChoiceMemo | undefined, name: string, ask: (choice: C) => Promise<T>): Wave<C, T> {
	const last = memo?.get(name);
	const guess = last?.steady && last.choice !== undefined ? {key: last.key, answer: ask(last.choice as C)} : undefined;
	// A guess that goes unused is never awaited; its failure must not surface as an unhandled rejection.
	guess?.answer.catch(() => undefined);
	return (async (choice: C | undefined) => {
		const key = keyOf(choice);
		memo?.set(name, {key, choice, steady: last?.key === key});
		if (choice === undefined) {
			return undefined;
		}

		return guess?.key === key ? guess.answer : ask(choice);
	}) as Wave<C, T>;
}

/** Lists inside a choice are compared as sets. */
function keyOf(choice: unknown): string {
	return JSON.stringify(choice, (_name, value: unknown) => Array.isArray(value) ? value.map(item => JSON.stringify(item)).sort() : value) ?? '';
}
