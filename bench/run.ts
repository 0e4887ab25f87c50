// `npm run bench`: runs every benchmark against the running real stack and records results in bench/results/.
import {existsSync, mkdirSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import {benchOnce} from './once.js';

const machine = {cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version};
mkdirSync('bench/results', {recursive: true});

const once = {at: new Date().toISOString(), machine, ...(await benchOnce())};
writeFileSync('bench/results/once.json', `${JSON.stringify(once, null, '\t')}\n`);
console.log('once', once);

if (existsSync('bench/ui.js')) {
	await import('./ui.js');
}
