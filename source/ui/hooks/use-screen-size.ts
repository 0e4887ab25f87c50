import {useStdout} from 'ink';
import {useEffect, useState} from 'react';

export type ScreenSize = {columns: number; rows: number};

/** Streams that are not terminals (tests, pipes) report no size; this is what the screen assumes then. */
const assumed: ScreenSize = {columns: 100, rows: 40};

/** The terminal's size, updated on resize (Ink 6 has no hook for this). */
export function useScreenSize(): ScreenSize {
	const {stdout} = useStdout();
	const read = (): ScreenSize => ({columns: stdout.columns || assumed.columns, rows: stdout.rows || assumed.rows});
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = () => {
			const next = read();
			setSize(previous => previous.columns === next.columns && previous.rows === next.rows ? previous : next);
		};

		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	// `read` only closes over stdout.
	}, [stdout]);
	return size;
}
