import type {TabId} from '../feed.js';
import {activeList, type ContainerOrder, type GroupSort, isFilterable, type ListId, tabs, type UiState} from './ui-state.js';
import {steppedWindow} from './window-steps.js';

export type UiAction =
	| {type: 'show-tab'; tab: TabId}
	| {type: 'step-tab'; step: 1 | -1}
	/** `keys` are the rows of the active list as shown, so the reducer stays pure. */
	| {type: 'move'; step: number; keys: readonly string[]}
	| {type: 'open-group'; group: string}
	| {type: 'back'}
	| {type: 'start-filter'}
	| {type: 'type-filter'; text: string}
	| {type: 'erase-filter'}
	| {type: 'keep-filter'}
	| {type: 'cycle-sort'}
	| {type: 'set-tag-key'; tagKey: string}
	| {type: 'step-window'; step: 1 | -1}
	| {type: 'toggle-help'}
	| {type: 'notice'; text: string};

const groupSorts: readonly GroupSort[] = ['status', 'lag', 'name'];
const containerOrders: readonly ContainerOrder[] = ['cpu', 'memory', 'name'];

/** The screen's state after one user action. Pure: no data, no I/O. */
export function reduceUi(state: UiState, action: UiAction): UiState {
	// A notice answers one key press; the next one clears it.
	const next = reduce(state, action);
	return action.type === 'notice' || next.notice === null ? next : {...next, notice: null};
}

function reduce(state: UiState, action: UiAction): UiState {
	switch (action.type) {
		case 'show-tab': {
			return {...state, tab: action.tab, help: false, editingFilter: false};
		}

		case 'step-tab': {
			const index = tabs.indexOf(state.tab);
			const tab = tabs[(index + action.step + tabs.length) % tabs.length]!;
			return {...state, tab, help: false, editingFilter: false};
		}

		case 'move': {
			return moveSelection(state, activeList(state), action.step, action.keys);
		}

		case 'open-group': {
			return state.tab === 'kafka' ? {...state, openGroup: action.group, selected: {...state.selected, partitions: null}} : state;
		}

		case 'back': {
			return back(state);
		}

		case 'start-filter': {
			// The per-partition list of one group is short; it has no filter.
			return isFilterable(state.tab) && activeList(state) !== 'partitions' ? {...state, editingFilter: true} : state;
		}

		case 'type-filter': {
			return editFilter(state, filter => filter + action.text);
		}

		case 'erase-filter': {
			return editFilter(state, filter => [...filter].slice(0, -1).join(''));
		}

		case 'keep-filter': {
			return {...state, editingFilter: false};
		}

		case 'cycle-sort': {
			if (state.tab === 'kafka' && state.openGroup === null) {
				return {...state, groupSort: nextOf(groupSorts, state.groupSort)};
			}

			return state.tab === 'containers' ? {...state, containerOrder: nextOf(containerOrders, state.containerOrder)} : state;
		}

		case 'set-tag-key': {
			// Another tag key means other rows: the old selection means nothing there.
			return {...state, tagKey: action.tagKey, selected: {...state.selected, k6: null}};
		}

		case 'step-window': {
			return {...state, rangeMs: steppedWindow(state.rangeMs, action.step)};
		}

		case 'toggle-help': {
			return {...state, help: !state.help, editingFilter: false};
		}

		case 'notice': {
			return {...state, notice: action.text};
		}
	}
}

/** Esc undoes the innermost thing: help, then a filter being typed, then an opened group, then a filter. */
function back(state: UiState): UiState {
	if (state.help) {
		return {...state, help: false};
	}

	if (state.editingFilter && isFilterable(state.tab)) {
		return {...state, editingFilter: false, filters: {...state.filters, [state.tab]: ''}};
	}

	if (state.tab === 'kafka' && state.openGroup !== null) {
		return {...state, openGroup: null};
	}

	if (isFilterable(state.tab) && state.filters[state.tab] !== '') {
		return {...state, filters: {...state.filters, [state.tab]: ''}};
	}

	return state;
}

function editFilter(state: UiState, edit: (filter: string) => string): UiState {
	if (!state.editingFilter || !isFilterable(state.tab)) {
		return state;
	}

	// A new filter changes the rows; start again from the first.
	return {
		...state,
		filters: {...state.filters, [state.tab]: edit(state.filters[state.tab])},
		selected: {...state.selected, [state.tab]: null},
	};
}

function moveSelection(state: UiState, list: ListId, step: number, keys: readonly string[]): UiState {
	if (keys.length === 0) {
		return state;
	}

	// No selection, or a selected row that went away, counts as the first row.
	const current = Math.max(0, keys.indexOf(state.selected[list] ?? ''));
	const index = Math.min(keys.length - 1, Math.max(0, current + step));
	return {...state, selected: {...state.selected, [list]: keys[index]!}};
}

function nextOf<T>(values: readonly T[], value: T): T {
	return values[(values.indexOf(value) + 1) % values.length]!;
}
