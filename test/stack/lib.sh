# Shared settings and helpers for test/stack/*.sh (sourced, not run).
# Ports, job names and folders follow test/stack/PORTS.md.
# shellcheck disable=SC2034 # the variables are used by the scripts that source this file

KMON_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STACK_SRC="$KMON_ROOT/test/stack"
# Run state (pids, logs, data): in the checkout, git-ignored.
STATE="$KMON_ROOT/.stack"
LOGS="$STATE/logs"
PIDS="$STATE/pids"
# Downloads and builds: outside the checkout so a fresh clone on the same machine reuses them.
CACHE="${KMON_STACK_CACHE:-$HOME/.cache/kmon-stack}"
BIN="$CACHE/bin"

KAFKA_VERSION=4.3.1
KAFKA_LIBS="$CACHE/kafka-$KAFKA_VERSION/libs"
JMX_JAR_1="$CACHE/jmx/jmx_prometheus_httpserver-1.0.1.jar"
JMX_JAR_0="$CACHE/jmx/jmx_prometheus_httpserver-0.20.0.jar"
KAFKA_EXPORTER_MOD="github.com/danielqsj/kafka_exporter@v1.9.0"
STATSD_EXPORTER_MOD="github.com/prometheus/statsd_exporter@v0.30.0"
# The opt-in backends (install-backends.sh, backends.sh). Thanos needs a newer Go than the machine's.
THANOS_MOD="github.com/thanos-io/thanos@v0.42.5"
THANOS_GOTOOLCHAIN=go1.27.3
VICTORIA_METRICS_MOD="github.com/VictoriaMetrics/VictoriaMetrics@v1.151.0"

PROM_URL="http://127.0.0.1:9090"
# The opt-in backends (backends.sh, PORTS.md).
BACKEND_PROM_A_PORT=24901
BACKEND_PROM_B_PORT=24902
SIDECAR_A_GRPC_PORT=24911
SIDECAR_A_HTTP_PORT=24912
SIDECAR_B_GRPC_PORT=24913
SIDECAR_B_HTTP_PORT=24914
THANOS_QUERY_PORT=24920
THANOS_QUERY_GRPC_PORT=24921
VICTORIA_METRICS_PORT=24928
BOOTSTRAP="127.0.0.1:9092"
TOPIC="kmon-demo"

# Start order; down.sh stops in reverse. "workload" is our own kcat loops (test/stack/workload.sh).
COMPONENTS=(kafka jmx-exporter jmx-exporter-legacy kafka-exporter statsd-exporter statsd-exporter-summary cadvisor prometheus workload)

# Ports each component listens on, checked before start ("udp:" = UDP).
component_ports() {
	case "$1" in
	kafka) echo "9092 9093 9999" ;;
	jmx-exporter) echo 5556 ;;
	jmx-exporter-legacy) echo 5557 ;;
	kafka-exporter) echo 9308 ;;
	statsd-exporter) echo "8125 udp:8125 9102" ;;
	statsd-exporter-summary) echo "8126 udp:8126 9103" ;;
	cadvisor) echo 8080 ;;
	prometheus) echo 9090 ;;
	*) echo "" ;;
	esac
}

say() { printf '[kmon-stack] %s\n' "$*"; }
warn() { printf '[kmon-stack] WARNING: %s\n' "$*" >&2; }
die() {
	printf '[kmon-stack] ERROR: %s\n' "$*" >&2
	exit 1
}

pid_of() { cat "$PIDS/$1.pid" 2>/dev/null || true; }

# A component runs if its recorded pid (the leader of its own process group) is alive.
is_running() {
	local pid
	pid="$(pid_of "$1")"
	[[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

# cgroup v1 controllers whose per-component stats cAdvisor reports (cpu, memory, block I/O, pids).
CGROUP_CONTROLLERS=(cpu cpuacct memory blkio pids)
CGROUP_PARENT=kmon-test

# Each component leads its own process group (setsid in up.sh): signal the group, so kcat loops, pipes
# and `timeout` children go with their parent. TERM first, all of a phase at once (each takes 1-2 s to
# shut down cleanly), KILL for whatever is left after the grace period.
# Names stop_groups signalled, for the caller to report.
stopped=()
stop_groups() { # GRACE NAME...
	local grace="$1" name pid deadline alive
	shift
	local pids=()
	for name in "$@"; do
		pid="$(pid_of "$name")"
		if [[ -n $pid ]] && kill -0 -- "-$pid" 2>/dev/null; then
			kill -TERM -- "-$pid" 2>/dev/null || true
			pids+=("$pid")
			stopped+=("$name")
		fi
		rm -f "$PIDS/$name.pid"
	done
	deadline=$((SECONDS + grace))
	while :; do
		alive=()
		for pid in "${pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive+=("$pid"); done
		((${#alive[@]} > 0 && SECONDS < deadline)) || break
		sleep 0.2
	done
	for pid in "${alive[@]}"; do
		say "process group $pid still running after ${grace}s, killing it"
		kill -KILL -- "-$pid" 2>/dev/null || true
	done
}

