import type {QueryError, Snapshot} from '../../snapshot/types.js';
import type {RunCells} from '../model/run-cells.js';
import type {UiState} from '../state/ui-state.js';

/** What every tab's view gets: the data, the user's choices and the box it must fit in. */
export type ViewProps = {
	snapshot: Snapshot;
	ui: UiState;
	width: number;
	/** Lines the view may use; it must not use more. */
	height: number;
	sparkWidth: number;
	domainErrors: Partial<Record<'kafka' | 'containers' | 'k6', QueryError>>;
	/** Which sparkline points fall inside a k6 run. */
	runCells: RunCells;
};
