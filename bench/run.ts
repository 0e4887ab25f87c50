// `npm run bench`: runs every benchmark and records results in bench/results/ (see bench/README.md).
//   - once:  `kmon --once --json` against the running real stack (npm run stack:up), skipped when it is down
//   - ui:    bench/ui.js, the screen-update benchmark (issue 4), when present
//   - backends: bench/backends.ts, kmon on Thanos Query and VictoriaMetrics against Prometheus, when the stack is
//     up and test/stack/install-backends.sh has built their binaries
//   - scale: bench/scale.ts, synthetic exporters + real Prometheus at three sizes (~12 min); BENCH_SCALE=0 skips it
import {spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {benchOnce} from './once.js';

const machine = {cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version};
mkdirSync('bench/results', {recursive: true});

const stackUrl = process.env['KMON_PROMETHEUS_URL'] ?? 'http://127.0.0.1:9090';
const stackUp = await fetch(`${stackUrl}/-/ready`, {signal: AbortSignal.timeout(3000)}).then(response => response.ok, () => false);
if (stackUp) {
	const once = {at: new Date().toISOString(), machine, ...(await benchOnce())};
	writeFileSync('bench/results/once.json', `${JSON.stringify(once, null, '\t')}\n`);
	console.log('once', once);
} else {
	console.log(`once: skipped, no Prometheus at ${stackUrl} (npm run stack:up starts the test stack)`);
}

const backendBinaries = ['thanos', 'victoria-metrics'].map(name => path.join(process.env['KMON_STACK_CACHE'] ?? path.join(os.homedir(), '.cache', 'kmon-stack'), 'bin', name));
if (stackUp && backendBinaries.every(binary => existsSync(binary))) {
	const {benchBackends} = await import('./backends.js');
	const backends = {at: new Date().toISOString(), machine, ...(await benchBackends())};
	writeFileSync('bench/results/backends.json', `${JSON.stringify(backends, null, '\t')}\n`);
	console.log('backends', backends);
} else {
	console.log(`backends: skipped, ${stackUp ? `no ${backendBinaries.join(' or ')} (bash test/stack/install-backends.sh builds them)` : 'the stack is down'}`);
}

if (existsSync('bench/ui.js')) {
	// In a child of its own and waited for, so it never overlaps the scale benchmark's measurements.
	spawnSync(process.execPath, ['--expose-gc', 'bench/ui.js'], {stdio: 'inherit'});
}

if (process.env['BENCH_SCALE'] !== '0') {
	const {benchScale, markdown, writeResults} = await import('./scale.js');
	const result = await benchScale();
	writeResults(result);
	console.log(markdown(result));
}
