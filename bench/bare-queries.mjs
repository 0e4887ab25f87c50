// The baseline for `kmon --once --json`: a bare Node script that sends the same Prometheus HTTP queries
// (read from a file), four at a time like kmon, parses the JSON and prints nothing else.
import {readFileSync} from 'node:fs';

const [file, base] = process.argv.slice(2);
const requests = JSON.parse(readFileSync(file, 'utf8'));
let next = 0;
let bytes = 0;
async function worker() {
	while (next < requests.length) {
		const request = requests[next++];
		const response = await fetch(`${base}/api/v1/${request.path}?${new URLSearchParams(request.params)}`);
		const text = await response.text();
		bytes += text.length;
		JSON.parse(text);
	}
}

await Promise.all([worker(), worker(), worker(), worker()]);
console.log(JSON.stringify({queries: requests.length, bytes}));
