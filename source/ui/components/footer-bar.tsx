import {textWidth} from '../../format/text-width.js';
import type {KeyHint} from '../keys/key-guide.js';
import {fitSegments} from '../model/fit-segments.js';
import {type Line, plain, styled} from '../text/styled-text.js';
import {useTheme} from '../theme.js';
import {StyledLine} from './styled-line.js';

export type FooterBarProps = {hints: KeyHint[]; notice: string | null; width: number};

/** The keys that work here, as many as fit; a notice about the last key first. */
export function FooterBar({hints, notice, width}: FooterBarProps) {
	const {palette} = useTheme();
	const noticeWidth = notice === null ? 0 : Math.min(width, textWidth(notice) + 2);
	const kept = fitSegments(hints.map(hint => ({...hint, text: `${hint.keys} ${hint.does}`})), width - noticeWidth, 2);
	const hintsWidth = kept.reduce((sum, hint) => sum + textWidth(hint.text), 0) + (2 * (kept.length - 1));
	const line: Line = [
		...(notice === null ? [] : [styled(`${notice}  `, {colour: palette.accent, bold: true})]),
		...(hintsWidth > width - noticeWidth ? [] : kept.flatMap((hint, index) => [
			...(index > 0 ? [plain('  ')] : []),
			styled(hint.keys, {bold: true}),
			styled(` ${hint.does}`, {dim: true}),
		])),
	];
	return <StyledLine line={line} width={width}/>;
}
