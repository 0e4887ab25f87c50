import type {GroupStatus, Severity} from '../snapshot/types.js';

/** Colour names Ink understands, or undefined for the terminal's own colour. */
export type Colour = string | undefined;

export type Palette = {
	status: (status: GroupStatus) => Colour;
	severity: (severity: Severity) => Colour;
	spark: Colour;
	/** Sparkline cells inside a k6 run. */
	run: Colour;
	accent: Colour;
	stale: Colour;
	muted: Colour;
};

const statusColours: Record<GroupStatus, string> = {OK: 'green', WARN: 'yellow', STALL: 'red', STOP: 'red', REWIND: 'magenta', GONE: 'gray'};
const severityColours: Record<Severity, string> = {error: 'red', warning: 'yellow', info: 'cyan'};

export const colourPalette: Palette = {
	status: status => statusColours[status],
	severity: severity => severityColours[severity],
	spark: 'cyan',
	run: 'magenta',
	accent: 'cyan',
	stale: 'yellow',
	muted: 'gray',
};

/**
 * https://no-color.org: a NO_COLOR that is present and not empty turns colour off (bold, dim and inverse
 * stay: the selection must stay visible). So do TERM=dumb and FORCE_COLOR=0, as for chalk.
 */
export function wantsColour(env: NodeJS.ProcessEnv): boolean {
	return !env['NO_COLOR'] && env['TERM'] !== 'dumb' && env['FORCE_COLOR'] !== '0';
}
