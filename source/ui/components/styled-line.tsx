import {Transform} from 'ink';
import {fitLine, type Line, toAnsi} from '../text/styled-text.js';
import {useTheme} from '../theme.js';

export type StyledLineProps = {line: Line; width: number};

/**
 * One line of the screen. Ink measures and caches every distinct text it lays out and never evicts
 * (ink#986): a screen of changing numbers grows memory on every poll. So Ink is given only a placeholder of
 * `width` spaces, one text per width for the whole run, and the line itself replaces it on the way out
 * (<Transform> runs after layout). One node per line is also far less layout work than one per value.
 */
export function StyledLine({line, width}: StyledLineProps) {
	const {glyphs, colours} = useTheme();
	if (width <= 0) {
		return null;
	}

	const text = toAnsi(fitLine(line, width, glyphs.ellipsis), {colours, ascii: glyphs.asciiOnly});
	return <Transform transform={() => text}>{' '.repeat(width)}</Transform>;
}
