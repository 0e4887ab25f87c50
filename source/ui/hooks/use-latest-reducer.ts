import {useCallback, useRef, useState} from 'react';

/**
 * useReducer whose newest state can also be read at once. Keys can arrive faster than React renders (typing,
 * pasting, tmux send-keys); each must be read against the state the previous key left, not the last render.
 */
export function useLatestReducer<S, A>(reduce: (state: S, action: A) => S, initial: () => S): [S, (action: A) => void, () => S] {
	const [state, setState] = useState(initial);
	const latest = useRef(state);
	const dispatch = useCallback((action: A) => {
		latest.current = reduce(latest.current, action);
		setState(latest.current);
	}, [reduce]);
	const current = useCallback(() => latest.current, []);
	return [state, dispatch, current];
}
