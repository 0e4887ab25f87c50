import {textWidth} from '../../format/text-width.js';
import {helpEntries, helpLegend} from '../keys/key-guide.js';
import {fit, type Line, plain, styled} from '../text/styled-text.js';
import {useTheme} from '../theme.js';
import {Lines} from './lines.js';

export type HelpOverlayProps = {width: number; height: number};

/** `?`: every key and how to read the screen, in place of the tab's body. */
export function HelpOverlay({width, height}: HelpOverlayProps) {
	const {glyphs} = useTheme();
	const entries = helpEntries(glyphs);
	const keysWidth = Math.max(...entries.map(([keys]) => textWidth(keys))) + 2;
	const lines: Line[] = [
		[styled('Keys', {bold: true})],
		...entries.map(([keys, does]): Line => [styled(fit(keys, keysWidth), {bold: true}), plain(does)]),
		[],
		...helpLegend(glyphs).map((text): Line => [styled(text, {dim: true})]),
	];
	return <Lines lines={lines.slice(0, height)} width={width}/>;
}
