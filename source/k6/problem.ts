// Errors as values: every step of starting a run can fail for a reason the user can fix, and the CLI and the
// UI both need the reason and the fix as text, not a stack trace.

/** Something that stops kmon from doing what was asked, in words, with what to do about it. */
export type Problem = {
	/** Stable identifier, e.g. "k6-not-found", for tests and for the UI to pick an offer. */
	code: string;
	/** One line: what is wrong. */
	message: string;
	/** What to do about it; may span several lines (e.g. how to build k6 with an extension). */
	fix: string;
};

export type Outcome<T> = {ok: true; value: T} | {ok: false; problem: Problem};

export const succeed = <T>(value: T): Outcome<T> => ({ok: true, value});

export const fail = <T = never>(code: string, message: string, fix: string): Outcome<T> => ({ok: false, problem: {code, message, fix}});
