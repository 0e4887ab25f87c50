#!/usr/bin/env bash
# npm run stack:up — starts the local test stack (test/stack/PORTS.md) on 127.0.0.1 and waits until every
# Prometheus target is up and the workload's consumer groups are visible, then prints the Prometheus URL.
# Idempotent: a healthy running stack is left alone. A start that fails names the component, shows its
# log tail and stops everything it started. Needs test/stack/install.sh to have run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$STACK_SRC/components.sh"

started_at=$SECONDS

# --- which components can run --------------------------------------------------------------------
enabled=()
for name in "${COMPONENTS[@]}"; do
	reason="$(missing_reason "$name")"
	if [[ -z $reason ]]; then
		enabled+=("$name")
	elif [[ $name == cadvisor || $name == kafka-exporter ]]; then
		# Optional: the stack still runs without them, their job is left out of Prometheus.
		warn "$name: MISSING, not started and its Prometheus job left out: $reason"
	else
		die "$name: $reason — run test/stack/install.sh first"
	fi
done
has() { [[ " ${enabled[*]} " == *" $1 "* ]]; }

# Prometheus targets that are not up, one "job health error" line each; prints nothing when all are up.
targets_not_up() {
	curl -sf "$PROM_URL/api/v1/targets" | node -e '
		let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
			const active = JSON.parse(s).data.activeTargets;
			if (active.length === 0) console.log("(no targets yet)");
			for (const t of active) if (t.health !== "up") console.log(`${t.labels.job} ${t.health} ${t.lastError}`);
		});'
}

# Consumer groups of the workload not (yet) seen in kafka_consumergroup_lag.
groups_missing() {
	curl -sf "$PROM_URL/api/v1/query" --data-urlencode 'query=count by (consumergroup) (kafka_consumergroup_lag)' |
		node -e '
		let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
			const seen = JSON.parse(s).data.result.map(r => r.metric.consumergroup);
			console.log(["kmon-lagging", "kmon-stopped"].filter(g => !seen.includes(g)).join(" "));
		});'
}

stack_healthy() {
	local down
	down="$(targets_not_up 2>/dev/null)" || return 1
	[[ -z $down ]] || return 1
	! has kafka-exporter || [[ -z "$(groups_missing 2>/dev/null || echo error)" ]]
}

# --- already running? ------------------------------------------------------------------------------
running=()
for name in "${enabled[@]}"; do is_running "$name" && running+=("$name"); done
if ((${#running[@]} == ${#enabled[@]})) && stack_healthy; then
	say "already running and healthy: Prometheus $PROM_URL"
	exit 0
fi
if ((${#running[@]} > 0)); then
	say "stack partly running or unhealthy (running: ${running[*]}): restarting it"
	bash "$STACK_SRC/down.sh"
fi

# --- ports must be free before anything starts ------------------------------------------------------
for name in "${enabled[@]}"; do
	for port in $(component_ports "$name"); do
		if [[ $port == udp:* ]]; then
			owner="$(ss -H -lunp "sport = :${port#udp:}")"
		else
			owner="$(ss -H -ltnp "sport = :$port")"
		fi
		[[ -z $owner ]] || die "$name: port $port is already taken: $(grep -o 'users:.*' <<<"$owner" || echo "$owner")"
	done
done

# --- from here on, a failure stops whatever was started --------------------------------------------
mkdir -p "$LOGS" "$PIDS"
for name in "${COMPONENTS[@]}"; do
	[[ ! -f $LOGS/$name.log ]] || mv "$LOGS/$name.log" "$LOGS/$name.previous.log"
done
on_exit() {
	local rc=$?
	if ((rc != 0)); then
		say "stack:up failed: stopping what it started"
		bash "$STACK_SRC/down.sh" || true
	fi
}
trap on_exit EXIT

fail() { # NAME MESSAGE: name the component, show its log tail, exit non-zero (on_exit cleans up).
	printf '[kmon-stack] ERROR: %s: %s\n' "$1" "$2" >&2
	if [[ -f $LOGS/$1.log ]]; then
		printf -- '--- last lines of %s ---\n' "$LOGS/$1.log" >&2
		tail -n 30 "$LOGS/$1.log" >&2
		printf -- '---\n' >&2
	fi
	exit 1
}

# --- cgroups: one per component, so cAdvisor reports each as its own container ---------------------
# cgroup v1 here (cpu, cpuacct, memory, blkio, pids mounted separately): the same path kmon-test/NAME is
# made in each, so cAdvisor sees one container /kmon-test/NAME with cpu, memory and I/O. Skipped, with a
# note, where the cgroup fs is read-only or cgroup v2 only (no such mounts) or KMON_STACK_CGROUPS=0.
if [[ ${KMON_STACK_CGROUPS:-1} == 1 ]] && has cadvisor; then
	made=0
	for ctl in "${CGROUP_CONTROLLERS[@]}"; do
		[[ -d /sys/fs/cgroup/$ctl ]] || continue
		for name in "${enabled[@]}"; do
			mkdir -p "/sys/fs/cgroup/$ctl/$CGROUP_PARENT/$name" 2>/dev/null && made=1
		done
	done
	if ((made)); then
		say "cgroups: components run in /$CGROUP_PARENT/<component>"
	else
		say "cgroups: not writable here, components share the caller's cgroup (cAdvisor shows no per-component series)"
	fi
fi

# --- Prometheus config: the test config minus the jobs of missing components -----------------------
# Each start begins with an empty TSDB, so tests only ever see samples of the stack now running.
rm -rf "$STATE/prometheus"
scrape_config "$STATE/prometheus.yml"

# --- start in dependency order, each ready before the next ------------------------------------------
for name in "${enabled[@]}"; do
	t0=$SECONDS
	start_component "$name" || fail "$name" "start command failed"
	limit="$(ready_limit "$name")" deadline=$((SECONDS + limit))
	until check_component "$name"; do
		sleep 1
		[[ -f $PIDS/$name.pid ]] && ! is_running "$name" && fail "$name" "exited during start"
		((SECONDS < deadline)) || fail "$name" "not ready within ${limit}s"
	done
	say "$name ready ($((SECONDS - t0))s)"
done

# --- every target up, workload groups visible --------------------------------------------------------
deadline=$((SECONDS + 90))
until [[ -z "$(targets_not_up 2>/dev/null || echo 'prometheus (no answer)')" ]]; do
	if ((SECONDS >= deadline)); then
		down="$(targets_not_up || true)"
		fail "${down%% *}" "Prometheus targets not up within 90s: $down"
	fi
	sleep 2
done
if has kafka-exporter; then
	deadline=$((SECONDS + 90))
	until [[ -z "$(groups_missing 2>/dev/null || echo error)" ]]; do
		((SECONDS < deadline)) || fail workload "groups not in kafka_consumergroup_lag within 90s: $(groups_missing || true)"
		sleep 2
	done
fi

missing=()
for name in cadvisor kafka-exporter; do has "$name" || missing+=("$name"); done
((${#missing[@]} == 0)) || warn "running WITHOUT ${missing[*]} (see above)"
say "up in $((SECONDS - started_at))s: Prometheus $PROM_URL"
