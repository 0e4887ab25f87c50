/** The UI's poll and a run summary being taken meanwhile ask about different times; neither evicts the other. */
const keysKept = 2;

/**
 * Answers to queries about a moment or a window. An answer about a past time and a fixed window is the same
 * when asked again, so polls that fall on the same 5-s grain or the same sparkline step are answered from
 * here; answers about older times and windows are forgotten.
 */
export class AnswerCache<T> {
	private readonly byKey = new Map<string, Map<string, T>>();

	get(key: string, query: string): T | undefined {
		return this.byKey.get(key)?.get(query);
	}

	set(key: string, query: string, answer: T): void {
		let answers = this.byKey.get(key);
		if (!answers) {
			answers = new Map();
			this.byKey.set(key, answers);
			for (const old of [...this.byKey.keys()].slice(0, -keysKept)) {
				this.byKey.delete(old);
			}
		}

		answers.set(query, answer);
	}
}
