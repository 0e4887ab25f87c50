#!/bin/sh
# Starts the standalone JMX exporter against the broker named by KMON_KAFKA_JMX (host:port of the
# broker's remote JMX). The 1.0.1 httpserver reads no environment variables from its config file, so
# the connection settings are written in front of the shared rules (/etc/kmon/jmx-exporter.yml).
set -eu

: "${KMON_KAFKA_JMX:?set KMON_KAFKA_JMX to the broker JMX host:port (see stack/.env.example)}"
rules="${KMON_JMX_RULES:-/etc/kmon/jmx-exporter.yml}"
config="$(mktemp /tmp/jmx-exporter.XXXXXX.yml)"

{
	printf 'hostPort: "%s"\n' "$KMON_KAFKA_JMX"
	if [ -n "${KMON_KAFKA_JMX_USERNAME:-}" ]; then
		printf 'username: "%s"\npassword: "%s"\n' "$KMON_KAFKA_JMX_USERNAME" "${KMON_KAFKA_JMX_PASSWORD:-}"
	fi
	cat "$rules"
} > "$config"

echo "jmx-exporter: scraping ${KMON_KAFKA_JMX} with rules from ${rules}, serving :5556/metrics"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of JVM options
exec java ${JAVA_OPTS:--Xmx128m} -jar /opt/jmx-exporter/jmx_prometheus_httpserver.jar 5556 "$config"
