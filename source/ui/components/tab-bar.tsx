import type {TabId} from '../feed.js';
import {tabs, tabTitles} from '../state/ui-state.js';
import {plain, styled} from '../text/styled-text.js';
import {StyledLine} from './styled-line.js';

export type TabBarProps = {active: TabId; width: number};

/** "1 Overview  2 Kafka  3 Containers  4 k6", the active one bracketed so it shows without colour too. */
export function TabBar({active, width}: TabBarProps) {
	const line = tabs.map((tab, index) => {
		const title = `${index + 1} ${tabTitles[tab]}`;
		return tab === active ? styled(`[${title}]`, {bold: true, inverse: true}) : plain(` ${title} `);
	});
	return <StyledLine line={line} width={width}/>;
}
