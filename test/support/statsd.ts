import dgram from 'node:dgram';

/** One datagram to the test stack's statsd_exporter, as k6 with tags on sends it (lines split by \n). */
export async function sendStatsd(lines: string): Promise<void> {
	const socket = dgram.createSocket('udp4');
	await new Promise<void>((resolve, reject) => {
		socket.send(lines, 8125, '127.0.0.1', error => {
			socket.close();
			if (error) {
				reject(error);
			} else {
				resolve();
			}
		});
	});
}

/** A request of k6's, counted, timed and not failed, under `tags` (`|#name:…,method:GET`). */
export const k6Request = (tags: string, count = 5) =>
	`k6.http_reqs:${count}|c${tags}\nk6.http_req_failed:0|c${tags}\nk6.http_req_duration:12.500000|ms${tags}`;
