import {minimumSize} from '../model/screen-layout.js';
import {type Line, styled} from '../text/styled-text.js';
import {Lines} from './lines.js';

export type TooSmallNoticeProps = {columns: number; rows: number};

/** Below the minimum size a clear message, short enough for the smallest terminal, instead of a garbled screen. */
export function TooSmallNotice({columns, rows}: TooSmallNoticeProps) {
	const lines: Line[] = [
		[styled('terminal too small', {bold: true})],
		[styled(`${columns}x${rows}, need ${minimumSize.columns}x${minimumSize.rows}`, {})],
		[styled('enlarge it, or q to quit', {})],
	];
	// Like every frame, at most one line fewer than the terminal has, and never wider than it.
	return <Lines lines={lines.slice(0, Math.max(1, rows - 1))} width={Math.max(1, columns - 1)}/>;
}
