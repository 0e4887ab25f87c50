import {Box, useApp, useInput, type Key} from 'ink';
import {useCallback, useEffect, useMemo, useRef, useSyncExternalStore} from 'react';
import {BodyForTab} from './body-for-tab.js';
import {FooterBar} from './components/footer-bar.js';
import {HeaderBar} from './components/header-bar.js';
import {HelpOverlay} from './components/help-overlay.js';
import {Lines} from './components/lines.js';
import {prometheusErrorLine, prometheusProblemLines} from './components/prometheus-problem.js';
import {StyledLine} from './components/styled-line.js';
import {TabBar} from './components/tab-bar.js';
import {TooSmallNotice} from './components/too-small-notice.js';
import type {Feed, TabId, ViewRequest} from './feed.js';
import {useCoarseAge} from './hooks/use-coarse-age.js';
import {useLatestReducer} from './hooks/use-latest-reducer.js';
import {useScreenSize} from './hooks/use-screen-size.js';
import {commandForKey} from './keys/command-for-key.js';
import {keyContextFor} from './keys/key-context.js';
import {footerHints} from './keys/key-guide.js';
import {splitKeys} from './keys/split-keys.js';
import {runCellsFor} from './model/run-cells.js';
import {screenLayout} from './model/screen-layout.js';
import {reduceUi} from './state/ui-reducer.js';
import {initialUiState} from './state/ui-state.js';
import {styled} from './text/styled-text.js';
import {type Theme, ThemeContext} from './theme.js';

/** Controls for k6 runs (source/k6/run-keys.ts). Without them `r` and `x` say so and do nothing else. */
export type K6RunControls = {
	start(): void;
	stop(): void;
	/** One short line for the header while a run is known (e.g. "k6 running 1m20s"), else null. */
	status: () => string | null;
	/** Calls `listener` whenever status() changes; returns the unsubscribe. */
	subscribe: (listener: () => void) => () => void;
	/** A run is going on: quitting asks first (q again leaves it running, x stops it). */
	active?(): boolean;
};

/** The attach-or-start offer while Prometheus does not answer (source/stack/stack-offer.ts). */
export type StackControls = {
	status: () => string | null;
	subscribe: (listener: () => void) => () => void;
	/** Called while Prometheus is unreachable: decides what can be offered. */
	check(): void;
	start(): void;
};

const noRunStatus = () => null;
const noRunSubscription = () => () => undefined;

export type AppProps = {
	feed: Feed;
	url: string;
	version: string;
	tagKey: string;
	rangeMs: number;
	intervalMs: number;
	theme: Theme;
	runs?: K6RunControls;
	stack?: StackControls;
	/** The clock, for data ages; tests pass a fixed one. */
	now?: () => number;
	/** The tab shown first; Overview unless a benchmark or test wants another. */
	initialTab?: TabId;
};

const noRuns = 'k6 runs cannot be started from this monitor: run k6 yourself with K6_STATSD_ENABLE_TAGS=true';
const quitDuringRun = 'a k6 run is going on: q again quits and leaves it running (it keeps logging), x stops it';

/**
 * The root: owns the key bindings, the quit path and the frame. The frame is at most rows − 1 lines, and
 * every part of it renders only data from the feed's latest state, which changes once per poll.
 */
export function App({feed, url, version, tagKey, rangeMs, intervalMs, theme, runs, stack, now = Date.now, initialTab}: AppProps) {
	const {exit} = useApp();
	const state = useSyncExternalStore(feed.subscribe, feed.getState);
	const [ui, dispatch, currentUi] = useLatestReducer(reduceUi, () => initialUiState({tagKey, rangeMs, tab: initialTab}));
	const {columns, rows} = useScreenSize();
	const layout = screenLayout(columns, rows);
	const {snapshot} = state;

	const sparkWidth = layout.fits ? layout.sparkWidth : 10;
	const request = useMemo<ViewRequest>(() => ({
		tab: ui.tab,
		tagKey: ui.tagKey,
		rangeMs: ui.rangeMs,
		points: sparkWidth,
		partitionsOf: ui.tab === 'kafka' ? ui.openGroup : null,
		containerSort: ui.containerOrder === 'memory' ? 'memory' : 'cpu',
	}), [ui.tab, ui.tagKey, ui.rangeMs, sparkWidth, ui.openGroup, ui.containerOrder]);
	useEffect(() => {
		feed.request(request);
	}, [feed, request]);

	// Keys read the newest screen state and data, never a render's copy: see useLatestReducer.
	const latestRuns = useRef(runs);
	latestRuns.current = runs;
	const latestStack = useRef(stack);
	latestStack.current = stack;
	// Quitting while a run goes on asks once; any other key takes the question back.
	const askedToQuit = useRef(false);
	const onInput = useCallback((input: string, key: Key) => {
		for (const press of splitKeys(input, key)) {
			const command = commandForKey(press.input, press.key, keyContextFor(currentUi(), feed.getState().snapshot));
			const asked = askedToQuit.current;
			askedToQuit.current = false;
			switch (command.kind) {
				case 'quit': {
					if (!asked && latestRuns.current?.active?.()) {
						askedToQuit.current = true;
						dispatch({type: 'notice', text: quitDuringRun});
						break;
					}

					exit();
					return;
				}

				case 'start-stack': {
					latestStack.current?.start();
					break;
				}

				case 'toggle-pause': {
					feed.setPaused(!feed.getState().paused);
					break;
				}

				case 'start-run':
				case 'stop-run': {
					const controls = latestRuns.current;
					if (controls && command.kind === 'start-run') {
						controls.start();
					} else if (controls) {
						controls.stop();
					} else {
						dispatch({type: 'notice', text: noRuns});
					}

					break;
				}

				case 'ui': {
					dispatch(command.action);
					break;
				}

				case 'none': {
					break;
				}
			}
		}
	}, [currentUi, dispatch, exit, feed]);
	useInput(onInput);

	const runStatus = useSyncExternalStore(runs?.subscribe ?? noRunSubscription, runs?.status ?? noRunStatus);
	const stackStatus = useSyncExternalStore(stack?.subscribe ?? noRunSubscription, stack?.status ?? noRunStatus);
	const unreachable = state.error?.kind === 'unreachable';
	useEffect(() => {
		if (unreachable) {
			stack?.check();
		}
	}, [unreachable, stack]);
	useEffect(() => {
		// The stack just came up: ask now rather than at the end of the back-off.
		if (stackStatus?.startsWith('stack up')) {
			feed.pollNow();
		}
	}, [stackStatus, feed]);
	const receivedAt = useCallback(() => feed.getState().receivedAt, [feed]);
	const age = useCoarseAge(receivedAt, now);
	// Computed once per snapshot: runs still going end "now", at the time the data arrived.
	const runCells = useMemo(() => snapshot ? runCellsFor(snapshot.window, snapshot.runs, now()) : () => null, [snapshot, now]);
	if (!layout.fits) {
		return <TooSmallNotice columns={layout.columns} rows={layout.rows}/>;
	}

	const {width, height} = layout;
	const stale = state.error !== null || (state.receivedAt !== null && now() - state.receivedAt > Math.max(3 * intervalMs, 10_000));
	const errorLine = state.error !== null && snapshot !== null && state.lastSuccessAt !== null;
	// Header, tabs and footer take a line each.
	const bodyHeight = height - 3 - (errorLine ? 1 : 0);
	let body: React.JSX.Element;
	if (ui.help) {
		body = <HelpOverlay width={width} height={bodyHeight}/>;
	} else if (snapshot === null || state.lastSuccessAt === null) {
		const lines = state.error === null
			? [[styled(`connecting to ${url}${theme.glyphs.ellipsis}`, {dim: true})]]
			: prometheusProblemLines(state.error, url, state.nextInMs, theme, stackStatus);
		body = <Lines lines={lines} width={width}/>;
	} else {
		body = <BodyForTab tab={ui.tab} snapshot={snapshot} ui={ui} width={width} height={bodyHeight} sparkWidth={sparkWidth} domainErrors={state.error === null ? state.domainErrors : {}} runCells={runCells}/>;
	}

	return (
		<ThemeContext.Provider value={theme}>
			<Box flexDirection="column" width={width} height={height} overflowY="hidden">
				<HeaderBar
					width={width}
					version={version}
					url={url}
					prometheusVersion={snapshot?.prometheus.version ?? null}
					age={age}
					stale={stale}
					pollMs={snapshot?.prometheus.pollMs ?? null}
					rangeMs={ui.rangeMs}
					diagnostics={snapshot?.diagnostics ?? []}
					paused={state.paused}
					run={runStatus ?? (unreachable || stackStatus?.startsWith('starting') ? stackStatus : null)}
				/>
				<TabBar active={ui.tab} width={width}/>
				{errorLine && state.error ? <StyledLine line={prometheusErrorLine(state.error, state.nextInMs, theme)} width={width}/> : null}
				<Box flexDirection="column" height={bodyHeight} overflowY="hidden">{body}</Box>
				<FooterBar hints={footerHints(ui, theme.glyphs)} notice={ui.notice} width={width}/>
			</Box>
		</ThemeContext.Provider>
	);
}
