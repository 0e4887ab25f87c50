#!/usr/bin/env bash
# bash test/stack/backends.sh up|down|status — the opt-in backends part of the test stack (PORTS.md):
#   backend-prometheus-a  Prometheus 2.42 scraping the stack's targets (its config, replica="a"), remote-writing
#                         every sample to b and to VictoriaMetrics
#   backend-prometheus-b  Prometheus 2.42, replica="b", holding a's samples (remote-write receiver)
#   thanos-sidecar-a/-b   Thanos 0.42.5 sidecars of a and b
#   thanos-query          Thanos Query over both sidecars, --query.replica-label=replica
#   victoria-metrics      VictoriaMetrics 1.151.0 single node, holding a's samples
# Why one scraper feeding the others, rather than three scraping on their own: the e2e test compares lag and
# offsets exactly, and the workload moves offsets ~97 times a second, so two scrapers a few seconds apart never
# hold the same value (test/stack/README.md has the measurement). With the same samples everywhere, any
# difference kmon shows is the engine's (dedup, MetricsQL, the API), which is what the test is about.
# Needs the stack up (npm run stack:up) and the binaries (install-backends.sh, run by install.sh).
# Idempotent: `up` leaves healthy running backends alone; `down` stops every one, children included.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$STACK_SRC/components.sh"

BACKENDS=(victoria-metrics backend-prometheus-b backend-prometheus-a thanos-sidecar-a thanos-sidecar-b thanos-query)
DATA="$STATE/backends"

backend_ports() {
	case "$1" in
	backend-prometheus-a) echo "$BACKEND_PROM_A_PORT" ;;
	backend-prometheus-b) echo "$BACKEND_PROM_B_PORT" ;;
	thanos-sidecar-a) echo "$SIDECAR_A_GRPC_PORT $SIDECAR_A_HTTP_PORT" ;;
	thanos-sidecar-b) echo "$SIDECAR_B_GRPC_PORT $SIDECAR_B_HTTP_PORT" ;;
	thanos-query) echo "$THANOS_QUERY_PORT $THANOS_QUERY_GRPC_PORT" ;;
	victoria-metrics) echo "$VICTORIA_METRICS_PORT" ;;
	esac
}

# The URL whose answer 200 means ready.
ready_url() {
	case "$1" in
	backend-prometheus-a) echo "http://127.0.0.1:$BACKEND_PROM_A_PORT/-/ready" ;;
	backend-prometheus-b) echo "http://127.0.0.1:$BACKEND_PROM_B_PORT/-/ready" ;;
	thanos-sidecar-a) echo "http://127.0.0.1:$SIDECAR_A_HTTP_PORT/-/ready" ;;
	thanos-sidecar-b) echo "http://127.0.0.1:$SIDECAR_B_HTTP_PORT/-/ready" ;;
	thanos-query) echo "http://127.0.0.1:$THANOS_QUERY_PORT/-/ready" ;;
	victoria-metrics) echo "http://127.0.0.1:$VICTORIA_METRICS_PORT/health" ;;
	esac
}

# Replica a: the stack's scrape config with its external label and the remote writes. Prometheus adds its
# external labels to what it remote-writes; they are dropped again, so the copies hold the samples exactly as
# a stores them (b's own replica label comes from its sidecar). A short send deadline so the copies trail a
# by about a second.
replica_a_config() {
	local url
	scrape_config "$DATA/prometheus-a.yml"
	sed -i 's/^global:$/global:\n  external_labels: {replica: a}/' "$DATA/prometheus-a.yml"
	printf '\nremote_write:\n' >>"$DATA/prometheus-a.yml"
	for url in "http://127.0.0.1:$BACKEND_PROM_B_PORT/api/v1/write" "http://127.0.0.1:$VICTORIA_METRICS_PORT/api/v1/write"; do
		cat >>"$DATA/prometheus-a.yml" <<EOF
  - url: $url
    queue_config: {batch_send_deadline: 1s}
    write_relabel_configs: [{action: labeldrop, regex: replica}]
EOF
	done
}

start_backend() {
	local name="$1"
	case "$name" in
	backend-prometheus-a)
		replica_a_config
		launch_backend "$name" prometheus --config.file="$DATA/prometheus-a.yml" --storage.tsdb.path="$DATA/prometheus-a" \
			--web.listen-address="127.0.0.1:$BACKEND_PROM_A_PORT"
		;;
	backend-prometheus-b)
		printf 'global:\n  external_labels: {replica: b}\n' >"$DATA/prometheus-b.yml"
		launch_backend "$name" prometheus --config.file="$DATA/prometheus-b.yml" --storage.tsdb.path="$DATA/prometheus-b" \
			--web.listen-address="127.0.0.1:$BACKEND_PROM_B_PORT" --web.enable-remote-write-receiver
		;;
	thanos-sidecar-a | thanos-sidecar-b)
		local replica="${name##*-}" prom grpc http
		if [[ $replica == a ]]; then
			prom=$BACKEND_PROM_A_PORT grpc=$SIDECAR_A_GRPC_PORT http=$SIDECAR_A_HTTP_PORT
		else
			prom=$BACKEND_PROM_B_PORT grpc=$SIDECAR_B_GRPC_PORT http=$SIDECAR_B_HTTP_PORT
		fi
		launch_backend "$name" "$BIN/thanos" sidecar --prometheus.url="http://127.0.0.1:$prom" \
			--tsdb.path="$DATA/prometheus-$replica" --grpc-address="127.0.0.1:$grpc" --http-address="127.0.0.1:$http"
		;;
	thanos-query)
		# Strict endpoints stay in the query's set while down, so a missing sidecar gives a partial response
		# with a warning (what the e2e test checks) instead of silently leaving the set.
		launch_backend "$name" "$BIN/thanos" query --query.replica-label=replica \
			--endpoint-strict="127.0.0.1:$SIDECAR_A_GRPC_PORT" --endpoint-strict="127.0.0.1:$SIDECAR_B_GRPC_PORT" \
			--http-address="127.0.0.1:$THANOS_QUERY_PORT" --grpc-address="127.0.0.1:$THANOS_QUERY_GRPC_PORT"
		;;
	victoria-metrics)
		launch_backend "$name" "$BIN/victoria-metrics" -httpListenAddr="127.0.0.1:$VICTORIA_METRICS_PORT" \
			-storageDataPath="$DATA/victoria-metrics" -retentionPeriod=1d
		;;
	esac
}

# Own session and process group (setsid), so `down` stops children too; no cgroup of kmon-test, so the
# shared stack's cAdvisor does not report the backends as containers of the stack.
launch_backend() {
	local name="$1"
	shift
	setsid "$@" >>"$LOGS/$name.log" 2>&1 </dev/null &
	echo $! >"$PIDS/$name.pid"
}

missing_binaries() {
	local reason=()
	command -v prometheus >/dev/null || reason+=("no prometheus command (Debian package)")
	[[ -x $BIN/thanos ]] || reason+=("no $BIN/thanos")
	[[ -x $BIN/victoria-metrics ]] || reason+=("no $BIN/victoria-metrics")
	((${#reason[@]} == 0)) || echo "${reason[*]} — run test/stack/install.sh first"
}

all_ready() {
	local name
	for name in "${BACKENDS[@]}"; do
		is_running "$name" && curl -sf -o /dev/null "$(ready_url "$name")" || return 1
	done
}

up() {
	local name port owner t0 deadline started_at=$SECONDS reason
	reason="$(missing_binaries)"
	[[ -z $reason ]] || die "backends: $reason"
	curl -sf -o /dev/null "$PROM_URL/-/ready" || die "backends: the stack's Prometheus ($PROM_URL) is not ready: run npm run stack:up first"
	if all_ready; then
		say "backends already running: Thanos Query http://127.0.0.1:$THANOS_QUERY_PORT, VictoriaMetrics http://127.0.0.1:$VICTORIA_METRICS_PORT"
		return
	fi
	down_backends
	for name in "${BACKENDS[@]}"; do
		for port in $(backend_ports "$name"); do
			owner="$(ss -H -ltnp "sport = :$port")"
			[[ -z $owner ]] || die "$name: port $port is already taken: $(grep -o 'users:.*' <<<"$owner" || echo "$owner")"
		done
	done
	mkdir -p "$LOGS" "$PIDS"
	rm -rf "$DATA" && mkdir -p "$DATA"
	trap 'rc=$?; ((rc == 0)) || { say "backends: up failed, stopping what it started"; down_backends; }' EXIT
	for name in "${BACKENDS[@]}"; do
		[[ ! -f $LOGS/$name.log ]] || mv "$LOGS/$name.log" "$LOGS/$name.previous.log"
		t0=$SECONDS deadline=$((SECONDS + 60))
		start_backend "$name"
		until curl -sf -o /dev/null "$(ready_url "$name")"; do
			if ! is_running "$name" || ((SECONDS >= deadline)); then
				printf '[kmon-stack] ERROR: %s: not ready within 60s or exited; last lines of %s:\n' "$name" "$LOGS/$name.log" >&2
				tail -n 30 "$LOGS/$name.log" >&2
				exit 1
			fi
			sleep 0.2
		done
		say "$name ready ($((SECONDS - t0))s)"
	done
	trap - EXIT
	say "backends up in $((SECONDS - started_at))s: Thanos Query http://127.0.0.1:$THANOS_QUERY_PORT, VictoriaMetrics http://127.0.0.1:$VICTORIA_METRICS_PORT, replica a http://127.0.0.1:$BACKEND_PROM_A_PORT"
}

down_backends() {
	local reversed=() i
	for ((i = ${#BACKENDS[@]} - 1; i >= 0; i--)); do reversed+=("${BACKENDS[i]}"); done
	stop_groups 15 "${reversed[@]}"
}

case "${1:-}" in
up) up ;;
down)
	down_backends
	if ((${#stopped[@]})); then say "backends stopped: ${stopped[*]}"; else say "backends: nothing was running"; fi
	;;
status)
	for name in "${BACKENDS[@]}"; do
		if is_running "$name"; then state=running; else state=stopped; fi
		printf '%-22s %-8s %s\n' "$name" "$state" "$(backend_ports "$name")"
	done
	;;
*) die "usage: test/stack/backends.sh up|down|status" ;;
esac
