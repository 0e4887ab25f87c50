import {textWidth} from '../../format/text-width.js';
import {formatMilliseconds, formatSpan} from '../../format/units.js';
import type {Diagnostic, Severity} from '../../snapshot/types.js';
import {fitSegments} from '../model/fit-segments.js';
import {fit, type Line, type Style, styled} from '../text/styled-text.js';
import {useTheme} from '../theme.js';
import {StyledLine} from './styled-line.js';

export type HeaderBarProps = {
	width: number;
	version: string;
	url: string;
	prometheusVersion: string | null;
	/** Coarse age label of the newest data, null before any. */
	age: string | null;
	stale: boolean;
	pollMs: number | null;
	rangeMs: number;
	diagnostics: Diagnostic[];
	paused: boolean;
	/** A k6 run's status when one runs (issue 5). */
	run: string | null;
};

type Part = {key: string; text: string; priority: number; style?: Style};

const severityOrder: Severity[] = ['error', 'warning', 'info'];

/** One line: where the data comes from, how old it is, how long a poll takes, and what needs attention. */
export function HeaderBar(props: HeaderBarProps) {
	const {glyphs, palette} = useTheme();
	const worst = severityOrder.find(severity => props.diagnostics.some(diagnostic => diagnostic.severity === severity));
	const count = props.diagnostics.length;
	const parts: Part[] = [
		{key: 'title', text: `kmon ${props.version}`, priority: 0, style: {bold: true}},
		...(props.paused ? [{key: 'paused', text: 'PAUSED', priority: 0, style: {inverse: true}}] : []),
		{key: 'url', text: props.url, priority: 1},
		{key: 'prometheus', text: `Prometheus ${props.prometheusVersion ?? '?'}`, priority: 5},
		{
			key: 'age',
			text: props.age === null ? 'no data yet' : `data ${props.age} old${props.stale ? ' (stale)' : ''}`,
			priority: 0,
			style: props.stale ? {colour: palette.stale, bold: true} : undefined,
		},
		...(props.pollMs === null ? [] : [{key: 'poll', text: `poll ${formatMilliseconds(roundLatency(props.pollMs))}`, priority: 3}]),
		{key: 'window', text: `window ${formatSpan(props.rangeMs / 1000)}`, priority: 2},
		...(props.run === null ? [] : [{key: 'run', text: props.run, priority: 1, style: {colour: palette.accent}}]),
		...(count === 0 || worst === undefined ? [] : [{
			key: 'diagnostics',
			text: `${worst === 'error' ? glyphs.error : glyphs.warning} ${count} diagnostic${count === 1 ? '' : 's'}`,
			priority: 0,
			style: {colour: palette.severity(worst)},
		}]),
	];
	const separator = textWidth(glyphs.separator);
	// The run's line (the confirmation a second r acts on, how a run ended) is never dropped for the URL or the
	// timings: it keeps what the other essentials leave, cut with an ellipsis when longer.
	const essentials = parts.filter(part => part.priority === 0);
	const room = props.width - essentials.reduce((sum, part) => sum + textWidth(part.text) + separator, 0);
	const sized = parts.map(part => part.key === 'run'
		? {...part, priority: 0, text: textWidth(part.text) > room ? fit(part.text, Math.max(1, room), 'left', glyphs.ellipsis) : part.text}
		: part);
	const kept = fitSegments(sized, props.width, separator);
	// Whatever is still too long is the URL's problem: cut it rather than lose the rest.
	const overflow = kept.reduce((sum, part) => sum + textWidth(part.text), 0) + (separator * (kept.length - 1)) - props.width;
	const line: Line = kept.flatMap((part, index) => [
		...(index > 0 ? [styled(glyphs.separator, {dim: true})] : []),
		styled(part.key === 'url' && overflow > 0 ? fit(part.text, Math.max(8, textWidth(part.text) - overflow), 'left', glyphs.ellipsis) : part.text, part.style ?? {}),
	]);
	return <StyledLine line={line} width={props.width}/>;
}

/** Two significant digits: a latency that differs by a millisecond each poll would be a new text each time. */
export function roundLatency(milliseconds: number): number {
	if (milliseconds < 10) {
		return Math.round(milliseconds);
	}

	const magnitude = 10 ** (Math.floor(Math.log10(milliseconds)) - 1);
	return Math.round(milliseconds / magnitude) * magnitude;
}
