import {Text} from 'ink';
import {render} from 'ink-testing-library';
import {afterEach, beforeEach, describe, expect, test, vi} from 'vitest';
import {useCoarseAge} from '../../source/ui/hooks/use-coarse-age.js';

let clock = 0;
let receivedAt: number | null = 0;
let renders = 0;
/** The label of the newest render (Ink throttles its frames on timers of its own, which these tests fake). */
let shown: string | null = null;
const now = () => clock;
const latest = () => receivedAt;

function Age() {
	renders++;
	shown = useCoarseAge(latest, now);
	return <Text>data {shown} old</Text>;
}

/** Moves the clock and runs the timers due meanwhile. */
async function advance(milliseconds: number) {
	clock += milliseconds;
	await vi.advanceTimersByTimeAsync(milliseconds);
	await reactsTurn();
}

/** React renders and runs effects on setImmediate, which stays real. */
async function reactsTurn() {
	await new Promise(resolve => {
		setImmediate(resolve);
	});
}

/** Renders, then lets React run its effects before any time passes. */
async function mount() {
	const rendered = render(<Age/>);
	await reactsTurn();
	return rendered;
}

beforeEach(() => {
	vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
	clock = 1_000_000;
	receivedAt = clock;
	renders = 0;
});

afterEach(() => {
	vi.useRealTimers();
});

describe('Given data that just arrived', () => {
	test('when polls keep renewing it without a render, then the label stays "<5s" and nothing is redrawn', async () => {
		const {unmount} = await mount();
		expect(shown).toBe('<5s');
		const drawn = renders;
		for (let poll = 0; poll < 10; poll++) {
			await advance(2000);
			receivedAt = clock;
		}

		expect(shown).toBe('<5s');
		expect(renders).toBe(drawn);
		unmount();
	});

	test('when nothing renews it, then the label grows on its own: 5s, then 10s', async () => {
		const {unmount} = await mount();
		await advance(5100);
		expect(shown).toBe('5s');
		await advance(5000);
		expect(shown).toBe('10s');
		unmount();
	});

	test('when a renewal stops, then the label grows from the last one', async () => {
		const {unmount} = await mount();
		await advance(4000);
		receivedAt = clock;
		await advance(4000);
		expect(shown).toBe('<5s');
		await advance(1100);
		expect(shown).toBe('5s');
		unmount();
	});
});
