import type {TabId} from '../feed.js';

export const tabs: readonly TabId[] = ['overview', 'kafka', 'containers', 'k6'];

export const tabTitles: Record<TabId, string> = {overview: 'Overview', kafka: 'Kafka', containers: 'Containers', k6: 'k6'};

/** Tabs whose rows `/` filters. */
export type FilterableTab = 'kafka' | 'containers' | 'k6';

export type GroupSort = 'status' | 'lag' | 'name';
export type ContainerOrder = 'cpu' | 'memory' | 'name';

/** Lists with a selected row: the tabs, plus the per-partition lag of an opened group. */
export type ListId = TabId | 'partitions';

/** Everything the screen remembers between polls. Data stays in the feed; this is only the user's choices. */
export type UiState = {
	tab: TabId;
	help: boolean;
	/** Key of the selected row per list; null means the first row. */
	selected: Record<ListId, string | null>;
	/** Consumer group whose per-partition lag is open. */
	openGroup: string | null;
	filters: Record<FilterableTab, string>;
	/** True while the user types a filter: keys are text then. */
	editingFilter: boolean;
	groupSort: GroupSort;
	containerOrder: ContainerOrder;
	tagKey: string;
	rangeMs: number;
	/** One line of feedback for the last key (e.g. a key that has nothing to do yet); cleared by the next key. */
	notice: string | null;
};

export function initialUiState(options: {tagKey: string; rangeMs: number; tab?: TabId}): UiState {
	return {
		tab: options.tab ?? 'overview',
		help: false,
		selected: {overview: null, kafka: null, containers: null, k6: null, partitions: null},
		openGroup: null,
		filters: {kafka: '', containers: '', k6: ''},
		editingFilter: false,
		groupSort: 'status',
		containerOrder: 'cpu',
		tagKey: options.tagKey,
		rangeMs: options.rangeMs,
		notice: null,
	};
}

export function isFilterable(tab: TabId): tab is FilterableTab {
	return tab !== 'overview';
}

/** The list ↑/↓ moves in now. */
export function activeList(state: UiState): ListId {
	return state.tab === 'kafka' && state.openGroup !== null ? 'partitions' : state.tab;
}
