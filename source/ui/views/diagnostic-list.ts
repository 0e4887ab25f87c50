import type {Diagnostic} from '../../snapshot/types.js';
import {diagnosticKey, diagnosticRows} from '../model/visible-rows.js';
import {type Line, plain, styled} from '../text/styled-text.js';
import type {Theme} from '../theme.js';

/** Every diagnostic with its fix, worst first, two lines each, paged by ↑/↓ when they do not all fit. */
export function diagnosticLines(diagnostics: Diagnostic[], selected: string | null, height: number, theme: Theme): Line[] {
	const {glyphs, palette} = theme;
	if (height <= 0) {
		return [];
	}

	const rows = diagnosticRows(diagnostics);
	const perPage = Math.max(1, Math.floor((height - 1) / 2));
	const index = Math.max(0, rows.findIndex(row => diagnosticKey(row) === selected));
	const first = Math.floor(index / perPage) * perPage;
	const shown = rows.slice(first, first + perPage);
	const range = rows.length > perPage ? ` ${first + 1}-${first + shown.length} of ${rows.length}` : '';
	const icon = {error: glyphs.error, warning: glyphs.warning, info: glyphs.info};
	const title: Line = [
		styled(`DIAGNOSTICS ${rows.length}`, {bold: true}),
		styled(rows.length === 0 ? '  none: every source answers and has data' : range, {dim: true}),
	];
	return [title, ...shown.flatMap((diagnostic): Line[] => {
		const isSelected = rows.length > perPage && diagnostic === rows[index];
		return [
			[
				styled(isSelected ? `${glyphs.selected} ` : '  ', {bold: isSelected}),
				styled(`${icon[diagnostic.severity]} ${diagnostic.area}: ${diagnostic.message}`, {colour: palette.severity(diagnostic.severity)}),
			],
			[plain(`    fix: ${diagnostic.fix}`)],
		];
	})];
}
