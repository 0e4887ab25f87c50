import {describe, expect, test} from 'vitest';
import {renderStatus, statusOk, type StatusContainer, type StatusReport} from '../../../source/stack/status-report.js';

function container(service: string, overrides: Partial<StatusContainer> = {}): StatusContainer {
	return {
		id: service.padEnd(64, '0'), name: `kmon-${service}`, project: 'kmon', service, image: `img/${service}:1`,
		state: 'running', health: 'healthy', healthOutput: null, restartCount: 0, startedAt: '2026-11-24T07:00:00Z', exitCode: null,
		ports: [{hostIp: '127.0.0.1', hostPort: 9090, containerPort: 9090, protocol: 'tcp'}], oneOff: false, uptimeSeconds: 3725,
		...overrides,
	};
}

const target = (job: string, health: 'up' | 'down' = 'up', lastError: string | null = null) => ({job, instance: `${job}:1`, health, lastError, lastScrape: null});

function report(containers: StatusContainer[], targets = [target('prometheus'), target('kafka-exporter')]): StatusReport {
	const partial = {
		project: 'kmon', docker: {version: '28.1.1', endpoint: 'unix:///var/run/docker.sock (the default socket)'}, containers,
		prometheus: {url: 'http://localhost:9090', ready: true, error: null}, targets, targetsError: null,
	};
	return {...partial, ok: statusOk(partial)};
}

describe('Given the stack\'s containers and Prometheus targets', () => {
	test('when everything runs, then the table shows each service healthy with uptime and ports, and all is well', () => {
		const lines = renderStatus(report([container('prometheus'), container('statsd-exporter', {health: 'none'})]), 200);
		expect(lines[0]).toBe('kmon stack (compose project kmon) · Docker 28.1.1 at unix:///var/run/docker.sock (the default socket)');
		expect(lines.find(line => line.startsWith('prometheus '))).toMatch(/^prometheus\s+✓ running, healthy\s+1h02m\s+0\s+127\.0\.0\.1:9090→9090\/tcp\s+kmon-prometheus\s+img\/prometheus:1$/);
		expect(lines.find(line => line.startsWith('statsd-exporter '))).toMatch(/✓ running\s/);
		expect(lines).toContain('Prometheus http://localhost:9090: ready');
		expect(lines.at(-1)).toBe('All services up and every target scraped.');
	});

	test('when a container was stopped and its target is down, then both are marked and counted', () => {
		const stopped = container('kafka-exporter', {state: 'exited', exitCode: 2, startedAt: null, uptimeSeconds: null, ports: []});
		const result = report([container('prometheus'), stopped], [target('prometheus'), target('kafka-exporter', 'down', 'connection refused')]);
		expect(result.ok).toBe(false);
		const lines = renderStatus(result, 200);
		expect(lines.find(line => line.startsWith('kafka-exporter ') && line.includes('exited'))).toMatch(/^kafka-exporter\s+✗ exited \(2\)\s+–\s+0\s+–\s+kmon-kafka-exporter/);
		expect(lines.find(line => line.startsWith('kafka-exporter ') && line.includes('down'))).toMatch(/✗ down\s+kafka-exporter:1\s+connection refused$/);
		expect(lines.at(-1)).toBe('Not all well: 1 container not running or not healthy, 1 target down.');
	});

	test('when nothing of the project exists, then it says how to start it', () => {
		const lines = renderStatus(report([], []), 120);
		expect(lines.at(-1)).toBe('Not running: no containers of compose project kmon. Start it with: kmon up [--with-kafka]');
	});

	test('when the terminal is narrow, then the least important columns go first', () => {
		const lines = renderStatus(report([container('prometheus')]), 50);
		const header = lines.find(line => line.startsWith('SERVICE'));
		expect(header).toMatch(/^SERVICE\s+STATE\s+UPTIME/);
		expect(header).not.toMatch(/IMAGE|CONTAINER/);
	});
});

describe('Given container names, images and scrape errors that carry terminal controls', () => {
	test('when kmon status prints them, then they are visible escapes in aligned columns, and no control is left', () => {
		const evil = 'x\u001B]0;PWNED\u0007\u001B[2J\u202Ey';
		const shown = 'x\\e]0;PWNED\\x07\\e[2J\\u202ey';
		const lines = renderStatus(report([container('prometheus', {name: evil, image: evil})], [target('prometheus', 'down', evil)]), 300);
		expect(lines.find(line => line.startsWith('prometheus ') && line.includes('running'))?.endsWith(`${shown}  ${shown}`)).toBe(true);
		expect(lines.find(line => line.startsWith('prometheus ') && line.includes('down'))).toMatch(/✗ down\s+prometheus:1\s+x\\e\]0;PWNED\\x07\\e\[2J\\u202ey$/);
		expect(lines.join('')).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
	});
});
