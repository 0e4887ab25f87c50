#!/usr/bin/env bash
# The test stack's Kafka workload, with Debian's kcat (librdkafka; much lighter than a JVM client per
# loop on 2 cores). Run by up.sh as the "workload" component once topic kmon-demo (6 partitions) exists:
#   - a producer writing ~100 messages/s (10 every ~0.1 s) without keys, so they spread over partitions;
#   - kmon-stopped: consumes for one burst, commits, leaves: committed offsets, no members, growing lag;
#   - kmon-lagging: consumes for a burst (catching up to the end), then stays away for LAG_PAUSE seconds
#     while the producer runs, so its lag climbs to ~100 x LAG_PAUSE and drains at the next burst.
# down.sh stops the whole process group (timeout runs with --foreground so it stays in the group).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
LAG_PAUSE="${KMON_STACK_LAG_PAUSE:-30}"

log() { printf '[%(%F %T)T] workload: %s\n' -1 "$*"; }

produce() {
	local n=0
	while :; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			echo "kmon-demo message $n"
			n=$((n + 1))
		done
		sleep 0.1
	done | kcat -P -q -b "$BOOTSTRAP" -t "$TOPIC" -X linger.ms=50
}

# Reads the topic as GROUP for BURST seconds (join + catch up with the producer), then SIGINT makes kcat
# close the consumer, which commits the offsets it reached and leaves the group. Not `kcat -G … -e`: while
# the producer writes, it exited after ~1 s with committed offsets far behind the end, and on a freshly
# created topic it left some partitions with no committed offset at all (lag -1).
BURST="${KMON_STACK_BURST:-8}"
consume_to_end() {
	local group="$1" rc=0
	timeout --foreground -s INT "$BURST" kcat -C -q -b "$BOOTSTRAP" -G "$group" \
		-X auto.offset.reset=earliest "$TOPIC" >/dev/null || rc=$?
	((rc == 0 || rc == 124)) # 124: stopped by timeout, as intended
}

produce &
producer=$!
log "producer started (~100 msg/s to $TOPIC)"
sleep 3
# Partitions of the topic on which GROUP has a committed offset, as kafka_exporter (port 9308) last saw them.
committed_partitions() {
	curl -sf 127.0.0.1:9308/metrics |
		grep -cE "^kafka_consumergroup_current_offset\{consumergroup=\"$1\",partition=\"[0-9]+\",topic=\"$TOPIC\"\} [0-9]" || true
}

# kmon-stopped's burst runs beside kmon-lagging's first one, so both groups exist ~BURST s after start. On a fresh
# broker the group's first join can take most of a burst (the offsets topic is created then), leaving partitions
# without a committed offset (lag -1): it reads again, up to 5 times, until all 6 have one, then stays away.
(
	for attempt in 1 2 3 4 5; do
		if consume_to_end kmon-stopped; then
			log "kmon-stopped: consumed for ${BURST}s, committed, left (attempt $attempt)"
		else
			log "kmon-stopped: reading failed (exit $?, attempt $attempt)"
		fi
		sleep 12 # kafka_exporter refreshes its view every 5 s (--refresh.metadata) and is scraped on demand
		committed="$(committed_partitions kmon-stopped)"
		((committed >= 6)) && { log "kmon-stopped: committed on all 6 partitions; no members from now on"; exit 0; }
		log "kmon-stopped: committed on $committed of 6 partitions, reading again"
	done
) &

while kill -0 "$producer" 2>/dev/null; do
	if consume_to_end kmon-lagging; then
		log "kmon-lagging: ${BURST}s burst done (drained), pausing ${LAG_PAUSE}s"
	else
		log "kmon-lagging: burst failed (exit $?), retrying after the pause"
	fi
	sleep "$LAG_PAUSE"
done
log "producer exited: stopping the workload"
exit 1
