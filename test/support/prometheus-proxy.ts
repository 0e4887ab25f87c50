import net from 'node:net';
import {prometheusUrl} from './stack.js';

export type PrometheusProxy = {
	/** The proxy's URL, for kmon's --prometheus; the same across stop() and start(). */
	readonly url: string;
	/** Closes the port and every connection: to kmon, a Prometheus that went away (connection refused). */
	stop(): Promise<void>;
	/** Listens again on the same port. */
	start(): Promise<void>;
	/** From now on swallows every request and never answers: a Prometheus that hangs mid-poll. */
	hold(): void;
	/** Requests swallowed since hold(). */
	held(): number;
};

/**
 * A TCP proxy in front of the stack's Prometheus. The shared stack offers no way to stop or slow only
 * Prometheus, so fault tests put this between kmon and it.
 */
export async function prometheusProxy(): Promise<PrometheusProxy> {
	const target = new URL(prometheusUrl);
	const sockets = new Set<net.Socket>();
	let server: net.Server | undefined;
	let port = 0;
	let holding = false;
	let held = 0;
	const connect = (client: net.Socket) => {
		const upstream = net.connect(Number(target.port || 80), target.hostname);
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.on('close', () => sockets.delete(socket));
			socket.on('error', () => {
				client.destroy();
				upstream.destroy();
			});
		}

		client.on('data', (chunk: Buffer) => {
			if (holding) {
				held++;
			} else {
				upstream.write(chunk);
			}
		});
		upstream.pipe(client);
	};

	const start = async () => new Promise<void>(resolve => {
		server = net.createServer(connect);
		server.listen(port, '127.0.0.1', () => {
			port = (server!.address() as net.AddressInfo).port;
			resolve();
		});
	});
	await start();
	return {
		url: `http://127.0.0.1:${port}`,
		start,
		async stop() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise(resolve => {
				server?.close(resolve);
			});
		},
		hold() {
			holding = true;
		},
		held: () => held,
	};
}
