#!/bin/bash
# The demo's load (compose profile "demo", `kmon demo`): a producer on topic kmon-demo and two consumer groups
# that build lag, so the monitor has something to show. Runs inside the apache/kafka image, with its own tools.
#   kmon-lagging  reads a burst, leaves for LAG_PAUSE seconds, comes back: a saw-tooth of growing lag (WARN)
#   kmon-stopped  reads once and stops: its lag only grows, with no members (STOP after a window)
set -u
bin=/opt/kafka/bin
broker="${DEMO_BOOTSTRAP:-kafka:9092}"
topic="${DEMO_TOPIC:-kmon-demo}"
rate="${DEMO_MESSAGES_PER_SECOND:-100}"
pause="${DEMO_LAG_PAUSE:-30}"
# The tools' JVMs stay small beside the broker; JMX stays off for them.
export KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx128m}" KAFKA_JMX_OPTS=" "

say() { printf '[demo] %s\n' "$*"; }

until "$bin/kafka-topics.sh" --bootstrap-server "$broker" --list >/dev/null 2>&1; do
	say "waiting for the broker at $broker"
	sleep 3
done
"$bin/kafka-topics.sh" --bootstrap-server "$broker" --create --if-not-exists --topic "$topic" --partitions 6 --replication-factor 1
say "producing $rate messages/s to $topic"
"$bin/kafka-producer-perf-test.sh" --topic "$topic" --num-records 1000000000 --record-size 100 --throughput "$rate" \
	--producer-props "bootstrap.servers=$broker" acks=1 linger.ms=50 >/dev/null &
producer=$!
trap 'kill "$producer" 2>/dev/null; exit 0' TERM INT

say "kmon-stopped reads once, then stops"
"$bin/kafka-console-consumer.sh" --bootstrap-server "$broker" --topic "$topic" --group kmon-stopped \
	--from-beginning --max-messages 100 >/dev/null 2>&1
while kill -0 "$producer" 2>/dev/null; do
	say "kmon-lagging reads a burst"
	"$bin/kafka-console-consumer.sh" --bootstrap-server "$broker" --topic "$topic" --group kmon-lagging \
		--max-messages "$((rate * 8))" >/dev/null 2>&1
	sleep "$pause" &
	wait $!
done
say "the producer stopped"
