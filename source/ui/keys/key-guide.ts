import type {Glyphs} from '../glyphs.js';
import {activeList, isFilterable, type UiState} from '../state/ui-state.js';
import {sortable} from './command-for-key.js';

/** One key and what it does; lower priority numbers stay longest when the footer is short. */
export type KeyHint = {keys: string; does: string; priority: number};

/** The keys that do something on the screen as it is now, for the footer. */
export function footerHints(state: UiState, glyphs: Glyphs): KeyHint[] {
	if (state.editingFilter) {
		return [
			{keys: 'type', does: 'to filter', priority: 0},
			{keys: 'Enter', does: 'keep', priority: 0},
			{keys: 'Esc', does: 'clear', priority: 0},
		];
	}

	if (state.help) {
		return [{keys: 'Esc', does: 'close help', priority: 0}, {keys: 'q', does: 'quit', priority: 0}];
	}

	const list = activeList(state);
	const hints: KeyHint[] = [{keys: '1-4', does: 'tabs', priority: 3}];
	const arrows = `${glyphs.up}${glyphs.down}`;
	if (list === 'overview') {
		hints.push({keys: arrows, does: 'diagnostics', priority: 4});
	} else {
		hints.push({keys: arrows, does: 'select', priority: 2});
	}

	if (list === 'kafka') {
		hints.push({keys: 'Enter', does: 'partitions', priority: 1});
	}

	if (list === 'partitions') {
		hints.push({keys: 'Esc', does: 'back', priority: 0});
	}

	if (isFilterable(state.tab) && list !== 'partitions') {
		hints.push({keys: '/', does: 'filter', priority: 1});
	}

	if (sortable(state)) {
		hints.push({keys: 's', does: 'sort', priority: 2});
	}

	if (state.tab === 'k6') {
		hints.push({keys: 't', does: 'tag key', priority: 1}, {keys: 'r/x', does: 'run/stop', priority: 3});
	}

	hints.push(
		{keys: 'p', does: 'pause', priority: 2},
		{keys: '+/-', does: 'window', priority: 3},
		{keys: '?', does: 'help', priority: 0},
		{keys: 'q', does: 'quit', priority: 0},
	);
	return hints;
}

/** Every key, for the `?` overlay. */
export function helpEntries(glyphs: Glyphs): Array<[keys: string, does: string]> {
	return [
		['1 2 3 4, Tab, Shift-Tab', 'Overview, Kafka, Containers, k6'],
		[`${glyphs.up}${glyphs.down} or k j, PgUp PgDn`, 'select a row (Overview: scroll the diagnostics)'],
		['Enter', 'Kafka: per-partition lag of the selected consumer group'],
		['Esc', 'back: close help, clear the filter being typed, leave the partitions, clear the filter'],
		['/', 'filter the rows (Kafka, Containers, k6); Enter keeps it, Esc clears it'],
		['s', 'sort: Kafka by status, lag, name; Containers by CPU, memory, name'],
		['t', 'k6: break results down by the next tag key'],
		['p', 'pause polling (the data on screen stays); again to resume'],
		['+ -', 'longer or shorter window for the sparklines (1m to 24h)'],
		['r x', 'start or stop a k6 run'],
		['u', 'start the monitoring stack with Docker, when Prometheus does not answer'],
		['?', 'this help'],
		['q, Ctrl-C', 'quit'],
	];
}

/** How to read what is on screen. */
export function helpLegend(glyphs: Glyphs): string[] {
	const ramp = glyphs.ramp.join('');
	return [
		`Sparklines ${ramp}: lowest is zero; a blank cell is no data (unknown), not zero; underlined cells`,
		'fall inside a k6 run started by kmon.',
		'Unknown values show as –. CPU is in % of one core (200% = two cores busy).',
		'Lag status after Burrow: OK, WARN (lag grows), STALL (members, offsets still), STOP (no members,',
		'offsets still), REWIND (offset went back), GONE (group vanished; not lag 0).',
	];
}
