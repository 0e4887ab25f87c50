import {Box} from 'ink';
import type {Line} from '../text/styled-text.js';
import {StyledLine} from './styled-line.js';

export type LinesProps = {lines: Line[]; width: number};

/** Lines one under the other, each exactly `width` columns. */
export function Lines({lines, width}: LinesProps) {
	return (
		<Box flexDirection="column">
			{lines.map((line, index) => (
				// Lines are positions on the screen: the index is their identity.
				<StyledLine key={index} line={line} width={width}/>
			))}
		</Box>
	);
}
