import {isTargetDown} from '../../snapshot/diagnose.js';
import type {DomainName, QueryError, Section, Snapshot} from '../../snapshot/types.js';
import {type Line, plain, styled} from '../text/styled-text.js';
import type {Theme} from '../theme.js';

/** Why a panel has no data, and what to do about it: never an empty panel without a reason. */
export function sectionNoticeLines<T>(section: Exclude<Section<T>, {state: 'ok'}>, what: string, theme: Theme): Line[] {
	const {glyphs, palette} = theme;
	switch (section.state) {
		case 'absent': {
			return [
				[styled(`${glyphs.warning} no ${what}: ${section.reason}`, {colour: palette.severity('warning')})],
				[plain(`  fix: ${section.fix}`)],
			];
		}

		case 'failed': {
			return [[styled(`${glyphs.error} ${what} could not be read (${section.error.kind}): ${section.error.message}`, {colour: palette.severity('error')})]];
		}

		case 'skipped': {
			return [[styled(`loading ${what}${glyphs.ellipsis}`, {dim: true})]];
		}
	}
}

/** A domain whose latest query failed while its older data stays on screen. */
export function staleBannerLines(error: QueryError | undefined, what: string, theme: Theme): Line[] {
	return error
		? [[styled(`${theme.glyphs.warning} ${what} from an earlier poll: the latest failed (${error.kind}): ${error.message}`, {colour: theme.palette.stale})]]
		: [];
}

/**
 * The targets of a panel's domain that Prometheus cannot scrape, with the error of its last scrape: why the
 * panel is empty, or shows only what another exporter still reports.
 */
export function targetDownLines(snapshot: Snapshot, domain: DomainName, theme: Theme): Line[] {
	return snapshot.diagnostics
		.filter(diagnostic => diagnostic.area === domain && isTargetDown(diagnostic))
		.flatMap(diagnostic => [
			[styled(`${theme.glyphs.error} ${diagnostic.message}`, {colour: theme.palette.severity('error')})],
			[plain(`  fix: ${diagnostic.fix}`)],
		]);
}
