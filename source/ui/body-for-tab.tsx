import type {TabId} from './feed.js';
import {ContainersTab} from './views/containers-tab.js';
import {K6Tab} from './views/k6-tab.js';
import {KafkaTab} from './views/kafka-tab.js';
import {OverviewTab} from './views/overview-tab.js';
import type {ViewProps} from './views/view-props.js';

const views: Record<TabId, (props: ViewProps) => React.JSX.Element> = {
	overview: OverviewTab,
	kafka: KafkaTab,
	containers: ContainersTab,
	k6: K6Tab,
};

/** The visible tab's view; the others are not rendered at all. */
export function BodyForTab(props: ViewProps & {tab: TabId}) {
	const View = views[props.tab];
	return <View {...props}/>;
}
