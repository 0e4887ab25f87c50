import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export type ScreenSize = {columns: number; rows: number};

/** Streams that are not terminals (tests, pipes) report no size; this is what the screen assumes then. */
const assumed: ScreenSize = {columns: 100, rows: 40};

/** The terminal's size, updated on resize (Ink 6 has no hook for this). */
export function useScreenSize(): ScreenSize {
	const {stdout} = useStdout();
	const [size, setSize] = useState(() => sizeOf(stdout));
	useEffect(() => {
		const onResize = () => {
			const next = sizeOf(stdout);
			setSize(previous => previous.columns === next.columns && previous.rows === next.rows ? previous : next);
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout]);
	return size;
}

function sizeOf(stdout: NodeJS.WriteStream): ScreenSize {
	return {columns: stdout.columns || assumed.columns, rows: stdout.rows || assumed.rows};
}
