// The stand-in for the full-screen UI while it is not built: kmon's real poller (createPollerFeed, the feed
// the UI subscribes to) collecting the Overview tab's domains every interval, with nothing rendered.
// Run from the built output: `node bench/synthetic/headless-poller.mjs <prometheus url> [interval ms] [points]`
// (npm run bench builds dist/ first). Exits when stdin ends, so it never outlives the benchmark.
import process from 'node:process';
import {PrometheusClient} from '../../dist/prometheus/client.js';
import {createPollerFeed} from '../../dist/ui/poller-feed.js';

const [url, intervalText = '2000', pointsText = '16'] = process.argv.slice(2);
const client = new PrometheusClient({url, credentials: {kind: 'none'}, headers: {}, timeoutMs: 10_000});
const feed = createPollerFeed({client, url, intervalMs: Number(intervalText)});
let polls = 0;
feed.subscribe(() => {
	const {snapshot} = feed.getState();
	// What a screen would hold on to: the latest snapshot only.
	if (snapshot) {
		polls++;
	}
});
feed.request({tab: 'overview', tagKey: 'name', rangeMs: 300_000, points: Number(pointsText), partitionsOf: null, containerSort: 'cpu'});

const stop = () => {
	feed.stop();
	client.close();
	process.stdout.write(`polls ${polls}\n`);
	process.exit(0);
};

process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
