/** The UI's poll and a run summary being taken meanwhile ask about different windows; neither evicts the other. */
const keysKept = 2;

/**
 * Answers to queries about a window (or any other key). An answer about a fixed window in the past is the same
 * when asked again, so polls within one sparkline step are answered from here; answers about older windows are
 * forgotten.
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
