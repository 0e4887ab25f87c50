import type {Key} from 'ink';
import type {TabId} from '../feed.js';
import type {UiAction} from '../state/ui-reducer.js';
import {activeList, isFilterable, type UiState} from '../state/ui-state.js';

/** What a key press asks for: a change of the screen's state, or something only the app root can do. */
export type Command =
	| {kind: 'ui'; action: UiAction}
	| {kind: 'quit'}
	| {kind: 'toggle-pause'}
	| {kind: 'start-run'}
	| {kind: 'stop-run'}
	| {kind: 'start-stack'}
	| {kind: 'none'};

/** What the bindings need to know about the data on screen. */
export type KeyContext = {
	ui: UiState;
	/** Keys of the rows in the active list, as shown. */
	rowKeys: readonly string[];
	/** Group name of the selected Kafka row, when there is one to open. */
	selectedGroup: string | null;
	/** The k6 tag keys in the latest data; null when there is no k6 data. */
	tagKeys: readonly string[] | null;
};

const tabKeys: Record<string, TabId> = {1: 'overview', 2: 'kafka', 3: 'containers', 4: 'k6'};
const pageStep = 10;
const none: Command = {kind: 'none'};
const ui = (action: UiAction): Command => ({kind: 'ui', action});

/**
 * The key bindings, k9s- and lazydocker-like. Ctrl-C is the only Ctrl binding: tmux and screen own the other
 * Ctrl-letters. While a filter is typed, letters are text, so only Enter, Esc, Backspace, arrows and Ctrl-C act.
 */
export function commandForKey(input: string, key: Partial<Key>, context: KeyContext): Command {
	const {ui: state} = context;
	if (key.ctrl && input === 'c') {
		return {kind: 'quit'};
	}

	if (state.editingFilter) {
		return filterCommand(input, key, context);
	}

	if (state.help) {
		return helpCommand(input, key);
	}

	const move = moveCommand(key, input, context);
	if (move) {
		return move;
	}

	if (key.tab) {
		return ui({type: 'step-tab', step: key.shift ? -1 : 1});
	}

	if (key.return) {
		return state.tab === 'kafka' && state.openGroup === null && context.selectedGroup !== null
			? ui({type: 'open-group', group: context.selectedGroup})
			: none;
	}

	if (key.escape) {
		return ui({type: 'back'});
	}

	if (key.ctrl || key.meta) {
		return none;
	}

	const tab = tabKeys[input];
	if (tab) {
		return ui({type: 'show-tab', tab});
	}

	switch (input) {
		case 'q': {
			return {kind: 'quit'};
		}

		case '?': {
			return ui({type: 'toggle-help'});
		}

		case '/': {
			return isFilterable(state.tab) && activeList(state) !== 'partitions' ? ui({type: 'start-filter'}) : none;
		}

		case 's': {
			return sortable(state) ? ui({type: 'cycle-sort'}) : none;
		}

		case 't': {
			return state.tab === 'k6' ? tagKeyCommand(context) : none;
		}

		case 'p': {
			return {kind: 'toggle-pause'};
		}

		case '+':
		case '=': {
			return ui({type: 'step-window', step: 1});
		}

		case '-': {
			return ui({type: 'step-window', step: -1});
		}

		case 'r': {
			return {kind: 'start-run'};
		}

		case 'x': {
			return {kind: 'stop-run'};
		}

		case 'u': {
			return {kind: 'start-stack'};
		}

		default: {
			return none;
		}
	}
}

export function sortable(state: UiState): boolean {
	return (state.tab === 'kafka' && state.openGroup === null) || state.tab === 'containers';
}

function moveCommand(key: Partial<Key>, input: string, context: KeyContext): Command | undefined {
	const step = key.upArrow || (input === 'k' && !key.ctrl) ? -1
		: key.downArrow || (input === 'j' && !key.ctrl) ? 1
		: key.pageUp ? -pageStep
		: key.pageDown ? pageStep
		: 0;
	return step === 0 ? undefined : ui({type: 'move', step, keys: context.rowKeys});
}

function filterCommand(input: string, key: Partial<Key>, context: KeyContext): Command {
	if (key.return) {
		return ui({type: 'keep-filter'});
	}

	if (key.escape) {
		return ui({type: 'back'});
	}

	if (key.backspace || key.delete) {
		return ui({type: 'erase-filter'});
	}

	if (key.upArrow || key.downArrow || key.pageUp || key.pageDown) {
		return moveCommand(key, '', context) ?? none;
	}

	// Printable text only: no control characters, no escape sequences.
	const printable = [...input].filter(character => character >= ' ' && character !== '\u007F').join('');
	return printable === '' || key.ctrl || key.meta || key.tab ? none : ui({type: 'type-filter', text: printable});
}

function helpCommand(input: string, key: Partial<Key>): Command {
	if (key.escape || input === '?') {
		return ui({type: 'toggle-help'});
	}

	if (input === 'q') {
		return {kind: 'quit'};
	}

	const tab = tabKeys[input];
	return tab ? ui({type: 'show-tab', tab}) : none;
}

function tagKeyCommand(context: KeyContext): Command {
	const {tagKeys, ui: state} = context;
	if (tagKeys === null) {
		return ui({type: 'notice', text: 'no k6 data yet: tag keys come with the first k6 samples'});
	}

	if (tagKeys.length === 0) {
		return ui({type: 'notice', text: 'no tag keys: k6 requests arrive untagged (K6_STATSD_ENABLE_TAGS=true)'});
	}

	const next = tagKeys[(tagKeys.indexOf(state.tagKey) + 1) % tagKeys.length]!;
	return next === state.tagKey
		? ui({type: 'notice', text: `${next} is the only tag key`})
		: ui({type: 'set-tag-key', tagKey: next});
}
