import type {Key} from 'ink';
import {describe, expect, test} from 'vitest';
import {type Command, commandForKey, type KeyContext} from '../../source/ui/keys/command-for-key.js';
import {reduceUi, type UiAction} from '../../source/ui/state/ui-reducer.js';
import {initialUiState, type UiState} from '../../source/ui/state/ui-state.js';

const start = initialUiState({tagKey: 'name', rangeMs: 300_000});
const context = (ui: UiState, overrides: Partial<KeyContext> = {}): KeyContext => ({
	ui, rowKeys: ['a', 'b', 'c'], selectedGroup: 'orders', tagKeys: ['method', 'name', 'status'], ...overrides,
});
const press = (ui: UiState, input: string, key: Partial<Key> = {}, overrides: Partial<KeyContext> = {}): Command =>
	commandForKey(input, key, context(ui, overrides));
const apply = (ui: UiState, ...actions: UiAction[]) => actions.reduce(reduceUi, ui);
const action = (command: Command): UiAction => {
	if (command.kind !== 'ui') {
		throw new Error(`expected a ui command, got ${command.kind}`);
	}

	return command.action;
};

describe('Given the screen on any tab', () => {
	test.each([
		['1', {}, 'overview'], ['2', {}, 'kafka'], ['3', {}, 'containers'], ['4', {}, 'k6'],
	])('when %j is pressed, then the tab is %s', (input, key, tab) => {
		expect(apply(start, action(press(start, input, key))).tab).toBe(tab);
	});

	test.each([
		[{tab: true}, 'kafka'],
		[{tab: true, shift: true}, 'k6'],
	])('when Tab %j is pressed on Overview, then the tab is %s', (key, tab) => {
		expect(apply(start, action(press(start, '', key))).tab).toBe(tab);
	});

	test.each([
		['q', {}, 'quit'], ['c', {ctrl: true}, 'quit'], ['p', {}, 'toggle-pause'], ['r', {}, 'start-run'], ['x', {}, 'stop-run'],
		['a', {ctrl: true}, 'none'], ['l', {ctrl: true}, 'none'], ['z', {}, 'none'],
	])('when %j %j is pressed, then the command is %s (no Ctrl binding but Ctrl-C)', (input, key, kind) => {
		expect(press(start, input, key).kind).toBe(kind);
	});

	test.each([
		['+', 600_000], ['=', 600_000], ['-', 120_000],
	])('when %j is pressed with a 5m window, then the window is %d ms', (input, rangeMs) => {
		expect(apply(start, action(press(start, input))).rangeMs).toBe(rangeMs);
	});

	test('when the window is at its longest and + is pressed, then it stays', () => {
		const longest = {...start, rangeMs: 86_400_000};
		expect(apply(longest, action(press(longest, '+'))).rangeMs).toBe(86_400_000);
	});
});

describe('Given a list of rows', () => {
	const kafka = {...start, tab: 'kafka' as const};
	test.each([
		['j', {}, 'b'], ['', {downArrow: true}, 'b'], ['k', {}, 'a'], ['', {upArrow: true}, 'a'], ['', {pageDown: true}, 'c'],
	])('when %j %j is pressed with nothing selected, then row %s is selected', (input, key, selected) => {
		expect(apply(kafka, action(press(kafka, input, key))).selected.kafka).toBe(selected);
	});

	test('when the selected row went away and ↓ is pressed, then the move starts from the first row', () => {
		const gone = {...kafka, selected: {...kafka.selected, kafka: 'vanished'}};
		expect(apply(gone, action(press(gone, 'j'))).selected.kafka).toBe('b');
	});

	test('when Enter is pressed on a Kafka group, then its partitions open, and Esc closes them', () => {
		const open = apply(kafka, action(press(kafka, '', {return: true})));
		expect(open.openGroup).toBe('orders');
		expect(apply(open, action(press(open, '', {escape: true}))).openGroup).toBeNull();
	});

	test.each(['overview', 'containers', 'k6'] as const)('when Enter is pressed on %s, then nothing opens', tab => {
		expect(press({...start, tab}, '', {return: true}).kind).toBe('none');
	});
});

describe('Given a filter', () => {
	const containers = {...start, tab: 'containers' as const};
	const typed = (text: string) => [...text].reduce<UiState>((ui, character) => apply(ui, action(press(ui, character))), apply(containers, action(press(containers, '/'))));

	test('when / and text are typed, then the filter holds the text, letters included (q does not quit)', () => {
		const ui = typed('kafq');
		expect(ui.filters.containers).toBe('kafq');
		expect(ui.editingFilter).toBe(true);
	});

	test('when Enter is pressed, then the filter stays and keys are keys again', () => {
		const ui = apply(typed('kaf'), action(press(typed('kaf'), '', {return: true})));
		expect(ui).toMatchObject({editingFilter: false, filters: {containers: 'kaf'}});
		expect(press(ui, 'q').kind).toBe('quit');
	});

	test('when Backspace is pressed, then the last character goes', () => {
		const ui = typed('kaf');
		expect(apply(ui, action(press(ui, '', {backspace: true}))).filters.containers).toBe('ka');
	});

	test('when Esc is pressed while typing, then the filter is cleared', () => {
		const ui = typed('kaf');
		expect(apply(ui, action(press(ui, '', {escape: true})))).toMatchObject({editingFilter: false, filters: {containers: ''}});
	});

	test('when Esc is pressed on a kept filter, then it is cleared', () => {
		const kept = {...containers, filters: {...containers.filters, containers: 'kaf'}};
		expect(apply(kept, action(press(kept, '', {escape: true}))).filters.containers).toBe('');
	});

	test('when Ctrl-C is pressed while typing, then kmon quits', () => {
		expect(press(typed('k'), 'c', {ctrl: true}).kind).toBe('quit');
	});

	test('when / is pressed on Overview, then nothing happens', () => {
		expect(press(start, '/').kind).toBe('none');
	});
});

describe('Given sorting and tag keys', () => {
	test.each([
		['kafka', 'groupSort', ['lag', 'name', 'status']],
		['containers', 'containerOrder', ['memory', 'name', 'cpu']],
	] as const)('when s is pressed three times on %s, then %s cycles through %j', (tab, field, expected) => {
		let ui: UiState = {...start, tab};
		const seen: string[] = [];
		for (let index = 0; index < 3; index++) {
			ui = apply(ui, action(press(ui, 's')));
			seen.push(ui[field]);
		}

		expect(seen).toEqual(expected);
	});

	test('when t is pressed on k6, then the next tag key comes, and the k6 selection resets', () => {
		const k6 = {...start, tab: 'k6' as const, selected: {...start.selected, k6: 'GET /'}};
		const ui = apply(k6, action(press(k6, 't')));
		expect(ui.tagKey).toBe('status');
		expect(ui.selected.k6).toBeNull();
	});

	test.each([
		[[], /untagged/],
		[null, /no k6 data/],
		[['name'], /only tag key/],
	])('when t is pressed with tag keys %j, then a notice says why nothing changes', (tagKeys, notice) => {
		const k6 = {...start, tab: 'k6' as const};
		const ui = apply(k6, action(press(k6, 't', {}, {tagKeys})));
		expect(ui.tagKey).toBe('name');
		expect(ui.notice).toMatch(notice);
	});

	test('when any key follows a notice, then the notice goes', () => {
		const noticed = apply(start, {type: 'notice', text: 'hello'});
		expect(apply(noticed, {type: 'show-tab', tab: 'kafka'}).notice).toBeNull();
	});
});

describe('Given the help overlay', () => {
	const help = apply(start, {type: 'toggle-help'});
	test.each([
		['?', {}, false], ['', {escape: true}, false], ['j', {}, true],
	])('when %j %j is pressed, then help is open: %j', (input, key, open) => {
		const command = press(help, input, key);
		const ui = command.kind === 'ui' ? apply(help, command.action) : help;
		expect(ui.help).toBe(open);
	});
});
