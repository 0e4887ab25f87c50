#!/usr/bin/env bash
# Starts, stops or reports a Docker engine for kmon's Docker tests (test/e2e/docker.test.ts).
#
#   test/docker/dockerd.sh start    # no-op if an engine already answers; else starts Debian's dockerd (root)
#   test/docker/dockerd.sh stop     # stops only a dockerd this script started (its pid file), nothing else
#   test/docker/dockerd.sh status   # exit 0 if an engine answers
#
# The daemon keeps Docker's default data root (/var/lib/docker) because stack/compose.yml mounts
# /var/lib/docker into cAdvisor; its log and pid file live in test/docker/.state/ (git-ignored).
# `--ip 127.0.0.1` makes ports published without an address (all of stack/compose.yml's) bind to loopback.
# Exit codes: 0 ok, 1 failed, 3 an engine cannot run here (reason on stderr; tests turn that into a skip).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="$HERE/.state"
PIDFILE="$STATE/dockerd.pid"
LOG="$STATE/dockerd.log"
SOCKET=/var/run/docker.sock

say() { printf '[kmon-docker] %s\n' "$*" >&2; }
cannot() {
	printf '[kmon-docker] CANNOT RUN: %s\n' "$*" >&2
	exit 3
}

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

ours_running() {
	local pid
	pid="$(cat "$PIDFILE" 2>/dev/null || true)"
	[[ -n $pid ]] && kill -0 "$pid" 2>/dev/null && [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == dockerd ]]
}

start() {
	if engine_answers; then
		say "Docker engine answers ($(docker version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}'))"
		return 0
	fi
	[[ -z ${DOCKER_HOST:-} || ${DOCKER_HOST} == unix://$SOCKET ]] ||
		cannot "DOCKER_HOST=$DOCKER_HOST does not answer, and this script only starts a local engine"
	command -v docker >/dev/null || cannot "no docker CLI on PATH"
	[[ $(id -u) == 0 ]] || cannot "no Docker engine answers and starting one needs root (run as root, or start Docker)"
	if ! command -v dockerd >/dev/null; then
		say "installing Debian's docker.io (dockerd)"
		if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null; }; then
			cannot "dockerd is not installed and apt-get install docker.io failed"
		fi
	fi
	if [[ -e $SOCKET ]] && ! pgrep -x dockerd >/dev/null; then
		rm -f "$SOCKET" # stale socket of a dead daemon
	fi
	pgrep -x dockerd >/dev/null && cannot "a dockerd process exists but does not answer on $SOCKET; see its log"
	mkdir -p "$STATE"
	say "starting dockerd (log: $LOG)"
	# setsid: the daemon outlives this script and the test process; stop it with `dockerd.sh stop`.
	setsid dockerd --ip 127.0.0.1 --pidfile "$PIDFILE" >>"$LOG" 2>&1 </dev/null &
	local i
	for ((i = 0; i < 120; i++)); do
		if engine_answers; then
			say "dockerd ready after $((i / 2)).$((i % 2 * 5))s ($(docker version --format 'server {{.Server.Version}}, API {{.Server.APIVersion}}'), storage $(docker info --format '{{.Driver}}'))"
			return 0
		fi
		if ((i > 4)) && ! pgrep -x dockerd >/dev/null; then
			tail -n 15 "$LOG" >&2 || true
			cannot "dockerd exited at start (log tail above)"
		fi
		sleep 0.5
	done
	tail -n 15 "$LOG" >&2 || true
	cannot "dockerd did not answer on $SOCKET within 60 s"
}

stop() {
	if ! ours_running; then
		say "no dockerd started by this script is running"
		rm -f "$PIDFILE"
		return 0
	fi
	local pid i
	pid="$(cat "$PIDFILE")"
	say "stopping dockerd (pid $pid)"
	kill -TERM "$pid"
	for ((i = 0; i < 60; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.5
	done
	if kill -0 "$pid" 2>/dev/null; then
		say "dockerd still running after 30 s; sending KILL"
		kill -KILL "$pid" || true
	fi
	rm -f "$PIDFILE"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) engine_answers ;;
started-here) ours_running ;;
*)
	echo "usage: $0 start|stop|status|started-here" >&2
	exit 2
	;;
esac
