import {type Line, styled} from '../text/styled-text.js';
import type {Theme} from '../theme.js';

export type ListTitle = {
	title: string;
	/** Counts, sort and such, after the title. */
	details: string[];
	filter: string;
	editingFilter: boolean;
};

/** "CONSUMER GROUPS  5 · sort status · filter: ord_" — the filter being typed shows a cursor. */
export function listTitleLine({title, details, filter, editingFilter}: ListTitle, theme: Theme): Line {
	const filterText = editingFilter ? `filter: ${filter}_` : (filter === '' ? '' : `filter: ${filter} (Esc clears)`);
	const rest = [...details, ...(filterText ? [filterText] : [])].join(theme.glyphs.separator);
	return [styled(`${title}  `, {bold: true}), styled(rest, editingFilter ? {colour: theme.palette.accent, bold: true} : {dim: true})];
}
