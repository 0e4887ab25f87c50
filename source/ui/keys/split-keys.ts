import type {Key} from 'ink';

export type KeyPress = {input: string; key: Partial<Key>};

const controls: Record<string, Partial<Key>> = {
	'\r': {return: true},
	'\n': {return: true},
	'\t': {tab: true},
	'\u007F': {backspace: true},
	'\b': {backspace: true},
};

/**
 * Ink hands over keys that arrive in one read as one input ("2\r" when typed fast, pasted, or sent by tmux
 * send-keys). Each of them is a key press of its own here, in order.
 */
export function splitKeys(input: string, key: Partial<Key>): KeyPress[] {
	const special = key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown
		|| key.escape || key.ctrl || key.meta || key.return || key.tab || key.backspace || key.delete;
	if ([...input].length <= 1 || special) {
		return [{input, key}];
	}

	return [...input].flatMap((character): KeyPress[] => {
		if (character === '\u0003') {
			return [{input: 'c', key: {ctrl: true}}];
		}

		const control = controls[character];
		if (control) {
			return [{input: '', key: control}];
		}

		return character < ' ' ? [] : [{input: character, key: {}}];
	});
}
