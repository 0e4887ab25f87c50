#!/usr/bin/env bash
# Becomes one stack component: run by up.sh as `setsid run-component.sh NAME CMD...`, so the component
# leads its own process group (down.sh stops the group, children included). Before exec'ing CMD it
# joins the component's cgroups prepared by up.sh (kmon-test/NAME), so cAdvisor reports each component
# as its own container, and children inherit them. Then it records its pid, which CMD keeps.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
name="$1"
shift
for ctl in "${CGROUP_CONTROLLERS[@]}"; do
	dir="/sys/fs/cgroup/$ctl/$CGROUP_PARENT/$name"
	if [[ -d $dir ]]; then
		echo $$ >"$dir/cgroup.procs" || echo "run-component: could not join $dir" >&2
	fi
done
echo $$ >"$PIDS/$name.pid"
exec "$@"
