#!/usr/bin/env bash
# Builds Docker Compose v2 (github.com/docker/compose, Apache-2.0) from the Go module proxy, so kmon's Docker
# tests can drive the stack through `docker compose` (the CLI plugin most users have) as well as Debian's
# docker-compose 1.29. Debian bookworm packages no Compose v2, and no container or GitHub download is
# reachable here.
#
# Route: `go install github.com/docker/compose/v2/cmd@v2.40.3` is refused ("The go.mod file for the module
# providing named packages contains one or more exclude directives"), so the tagged module is downloaded
# with `go mod download` and built as the main module, from the proxy's own copy, with its own go.sum.
#
# Output: ${KMON_STACK_CACHE:-$HOME/.cache/kmon-stack}/bin/docker-compose-v2 (kept; a binary that reports
# the pinned version is reused) and, for the tests, a Docker config folder test/docker/.state/docker-config
# whose cli-plugins/docker-compose points at it: DOCKER_CONFIG=<that folder> makes `docker compose` work
# without installing a plugin for the whole machine. Prints the folder on stdout.
set -euo pipefail

VERSION=v2.40.3
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${KMON_STACK_CACHE:-$HOME/.cache/kmon-stack}"
TARGET="$CACHE/bin/docker-compose-v2"
CONFIG="$HERE/.state/docker-config"

say() { printf '[kmon-docker] compose v2: %s\n' "$*" >&2; }

if [[ -x $TARGET && "$("$TARGET" version --short 2>/dev/null)" == "${VERSION#v}" ]]; then
	say "$VERSION cached"
else
	command -v go >/dev/null || {
		say "go not found"
		exit 1
	}
	mkdir -p "$CACHE/bin"
	exec 9>"$CACHE/.install-compose-v2.lock"
	flock 9
	say "building $VERSION from the Go module proxy (a few minutes the first time)"
	dir="$(GOFLAGS=-mod=mod go mod download -json "github.com/docker/compose/v2@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
	[[ -d $dir ]] || {
		say "go mod download gave no folder"
		exit 1
	}
	(cd "$dir" && nice -n 10 go build -trimpath -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$VERSION" -o "$TARGET.tmp" ./cmd)
	mv "$TARGET.tmp" "$TARGET"
	say "built $("$TARGET" version)"
fi

mkdir -p "$CONFIG/cli-plugins"
ln -sfn "$TARGET" "$CONFIG/cli-plugins/docker-compose"
printf '%s\n' "$CONFIG"
