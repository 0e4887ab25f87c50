import {mkdtempSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, test, vi} from 'vitest';

// The factory runs once, when dockerode is first imported; the cases run in order, the socketless one first.
const loaded = vi.hoisted(() => ({dockerode: false}));
vi.mock('dockerode', () => {
	loaded.dockerode = true;
	return {default: class {}};
});

const {connectDocker} = await import('../../../source/stack/docker-client.js');

const socketIn = () => path.join(mkdtempSync(path.join(tmpdir(), 'kmon-docker-client-')), 'docker.sock');

describe('Given a Docker host whose unix socket does not exist', () => {
	test('when kmon connects, then it says there is no engine there, and dockerode (~25 MiB of memory) is never loaded', async () => {
		const socketPath = socketIn();

		const outcome = await connectDocker({env: {DOCKER_HOST: `unix://${socketPath}`}});

		expect(outcome.ok ? 'connected' : outcome.problem.kind).toBe('docker-no-socket');
		expect(outcome.ok ? '' : outcome.problem.message).toContain(socketPath);
		expect(loaded.dockerode).toBe(false);
	});
});

describe('Given a Docker host whose unix socket exists', () => {
	test('when kmon connects, then dockerode is loaded to talk to it (so the check above can fail)', async () => {
		const socketPath = socketIn();
		const server = createServer(socket => socket.destroy());
		await new Promise<void>(resolve => server.listen(socketPath, resolve));
		try {
			const outcome = await connectDocker({env: {DOCKER_HOST: `unix://${socketPath}`}, timeoutMs: 500});

			expect(outcome.ok).toBe(false);
			expect(loaded.dockerode).toBe(true);
		} finally {
			server.close();
		}
	});
});
