import {describe, expect, test} from 'vitest';
import {type ChoiceMemo, nextWave} from '../../source/domains/next-wave.js';

/** Polls one wave over a sequence of choices; records what was asked, and when: with the first wave, or after it. */
async function poll(choices: Array<string[] | undefined>) {
	const memo: ChoiceMemo = new Map();
	const polls: Array<{early: string[]; late: string[]; answer: string | undefined}> = [];
	for (const choice of choices) {
		const asked: string[][] = [];
		const details = nextWave(memo, 'containers', async (ids: string[]) => {
			asked.push(ids);
			return `details of ${ids.join(',')}`;
		});
		const early = asked.map(ids => ids.join(','));
		const answer = await details(choice);
		polls.push({early, late: asked.slice(early.length).map(ids => ids.join(',')), answer});
	}

	return polls;
}

describe('Given a wave of detail queries that depends on what the first wave chose', () => {
	test('when the choice is new, then the details are asked after the first wave', async () => {
		const [first] = await poll([['a', 'b']]);
		expect(first).toEqual({early: [], late: ['a,b'], answer: 'details of a,b'});
	});

	test('when the choice stayed the same over two polls, then the third asks its details with the first wave, once', async () => {
		const polls = await poll([['a', 'b'], ['a', 'b'], ['a', 'b']]);
		expect(polls.map(({early, late}) => ({early, late}))).toEqual([
			{early: [], late: ['a,b']},
			{early: [], late: ['a,b']},
			{early: ['a,b'], late: []},
		]);
		expect(polls[2]!.answer).toBe('details of a,b');
	});

	test('when only the order of the chosen rows changes, then the guess still answers (a selector is a set)', async () => {
		const polls = await poll([['a', 'b'], ['a', 'b'], ['b', 'a']]);
		expect(polls[2]).toEqual({early: ['a,b'], late: [], answer: 'details of a,b'});
	});

	test('when the choice changes, then the guess is not used: the details of the new choice are asked and answered', async () => {
		const polls = await poll([['a', 'b'], ['a', 'b'], ['a', 'c']]);
		expect(polls[2]).toEqual({early: ['a,b'], late: ['a,c'], answer: 'details of a,c'});
	});

	test('when the choice churns, then no guess is made until it holds for two polls again', async () => {
		const polls = await poll([['a'], ['a'], ['b'], ['c'], ['c'], ['c']]);
		expect(polls.map(({early}) => early)).toEqual([[], [], ['a'], [], [], ['c']]);
	});

	test('when nothing is chosen, then nothing is asked, and nothing is guessed afterwards', async () => {
		const polls = await poll([undefined, undefined, undefined]);
		expect(polls).toEqual(Array.from({length: 3}, () => ({early: [], late: [], answer: undefined})));
	});

	test('when a guess goes unused and its query fails, then the failure stays inside the wave', async () => {
		const memo: ChoiceMemo = new Map();
		const refusing = (refused: string) => async (ids: string[]) => {
			if (ids.includes(refused)) {
				throw new Error(`refused ${refused}`);
			}

			return `details of ${ids.join(',')}`;
		};
		await nextWave(memo, 'containers', refusing('none'))(['a']);
		await nextWave(memo, 'containers', refusing('none'))(['a']);
		await expect(nextWave(memo, 'containers', refusing('a'))(['b'])).resolves.toBe('details of b');
	});
});
