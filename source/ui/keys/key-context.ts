import type {Snapshot} from '../../snapshot/types.js';
import {activeRowKeys, groupKey, groupRows, selectedRow} from '../model/visible-rows.js';
import {activeList, type UiState} from '../state/ui-state.js';
import type {KeyContext} from './command-for-key.js';

/** What the key bindings need to know, from the newest screen state and data. */
export function keyContextFor(ui: UiState, snapshot: Snapshot | null): KeyContext {
	const selectedGroup = ui.tab === 'kafka' && snapshot?.kafka.state === 'ok'
		? selectedRow(groupRows(snapshot.kafka.data, ui.filters.kafka, ui.groupSort), groupKey, ui.selected.kafka)?.group ?? null
		: null;
	return {
		ui,
		rowKeys: activeRowKeys(snapshot, ui, activeList(ui)),
		selectedGroup,
		tagKeys: snapshot?.k6.state === 'ok' ? snapshot.k6.data.tagKeys : null,
	};
}
