import type {Querier} from '../prometheus/querier.js';
import type {Window} from '../snapshot/types.js';
import type {Selection} from './families.js';
import type {ChoiceMemo} from './next-wave.js';

/** What every collector gets: where to ask, the evaluation time and window, and what was detected. */
export type CollectContext = {
	querier: Querier;
	at: Date;
	window: Window;
	selection: Selection;
	/** What the last polls' first waves chose, when the caller polls (see next-wave.ts). */
	choices?: ChoiceMemo;
};
