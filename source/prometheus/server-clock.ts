/**
 * Prometheus's clock, as the HTTP Date header of its answers tells it. Prometheus evaluates "now" on its own
 * clock and samples carry the exporters' times, so a poll asked on this machine's time is off by the skew: two
 * minutes ahead and every rate is empty (the samples are not there yet), two behind and the figures are two
 * minutes old. kmon asks on Prometheus's time instead: its own clock plus this offset.
 *
 * A Date header is written somewhere between the request leaving and the answer arriving, truncated to the
 * second, so each answer bounds the offset from both sides; the bounds of successive answers narrow it to the
 * round-trip time. Bounds that cannot both hold mean one of the clocks was stepped: measuring starts again.
 */
export class ServerClock {
	private low = Number.NEGATIVE_INFINITY;
	private high = Number.POSITIVE_INFINITY;

	observe(date: string | undefined, sentAt: number, receivedAt: number): void {
		const server = date === undefined ? Number.NaN : Date.parse(date);
		if (Number.isNaN(server)) {
			return;
		}

		const low = server - receivedAt;
		const high = server + 1000 - sentAt;
		if (low > this.high || high < this.low) {
			this.low = low;
			this.high = high;
			return;
		}

		this.low = Math.max(this.low, low);
		this.high = Math.min(this.high, high);
	}

	/** Prometheus's time minus this machine's, in ms; null before any answer with a Date header. */
	get offsetMs(): number | null {
		return Number.isFinite(this.low) ? Math.round((this.low + this.high) / 2) : null;
	}

	/** Prometheus's time now, as far as it is known (this machine's until then). */
	now(local = Date.now()): Date {
		return new Date(local + (this.offsetMs ?? 0));
	}
}
