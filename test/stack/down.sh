#!/usr/bin/env bash
# npm run stack:down — stops the local test stack, children included, and leaves no process behind.
# Idempotent: with nothing running it says so. Data in .stack/ is kept (Kafka is not formatted again).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Phase 1: everything that talks to Kafka (the workload's consumers commit and leave the group on TERM).
# Phase 2: Kafka itself, whose controlled shutdown takes a few seconds.
others=()
for name in "${COMPONENTS[@]}"; do [[ $name == kafka ]] || others+=("$name"); done
stop_groups 15 "${others[@]}"
stop_groups 30 kafka

# Safety net: a process that left its group (or a stack whose .stack/ is gone, e.g. another checkout)
# is still in a kmon-test cgroup, which holds nothing but test-stack processes. Kill those, then
# remove the empty cgroups.
leftovers="$(cat /sys/fs/cgroup/*/"$CGROUP_PARENT"/*/cgroup.procs 2>/dev/null | sort -u || true)"
for pid in $leftovers; do
	say "killing leftover process $pid ($(tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null | cut -c1-80))"
	kill -KILL "$pid" 2>/dev/null || true
done
for dir in /sys/fs/cgroup/*/"$CGROUP_PARENT"/*/ /sys/fs/cgroup/*/"$CGROUP_PARENT"/; do
	[[ -d $dir ]] || continue
	for _ in 1 2 3 4 5 6 7 8 9 10; do rmdir "$dir" 2>/dev/null && break || sleep 0.2; done
done

if ((${#stopped[@]})); then
	say "stopped: ${stopped[*]}"
else
	say "nothing was running"
fi
