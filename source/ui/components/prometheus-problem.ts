import {formatSpan} from '../../format/units.js';
import {prometheusProblem} from '../../snapshot/diagnose.js';
import type {QueryError} from '../../snapshot/types.js';
import {type Line, plain, styled} from '../text/styled-text.js';
import type {Theme} from '../theme.js';

/**
 * The whole body when Prometheus never answered: what failed, the fix, that kmon keeps trying, and the offer to
 * start the stack (or its progress) when there is one.
 */
export function prometheusProblemLines(error: QueryError, url: string, retryInMs: number, theme: Theme, stackOffer: string | null = null): Line[] {
	const {glyphs, palette} = theme;
	return [
		[styled(`${glyphs.error} ${error.message}`, {colour: palette.severity('error'), bold: true})],
		[plain(`  fix: ${prometheusProblem(error, url).fix}`)],
		[styled(`  kmon keeps trying: next attempt in ${formatSpan(retryInMs / 1000)}`, {dim: true})],
		...(stackOffer ? [[styled(`  ${stackOffer}`, {colour: palette.accent, bold: true})]] : []),
	];
}

/** Above the last data when Prometheus went away: the data stays, this says why it is not moving. */
export function prometheusErrorLine(error: QueryError, retryInMs: number, theme: Theme): Line {
	return [styled(
		`${theme.glyphs.error} Prometheus ${error.kind}, retry in ${formatSpan(retryInMs / 1000)}, showing the last data: ${error.message}`,
		{colour: theme.palette.severity('error')},
	)];
}
