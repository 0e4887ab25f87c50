#!/usr/bin/env bash
# Builds the two engines of the opt-in backends part of the test stack (test/stack/backends.sh) from the Go
# module proxy into ${KMON_STACK_CACHE:-$HOME/.cache/kmon-stack}/bin, once per machine:
#   thanos            v0.42.5   (github.com/thanos-io/thanos, Apache-2.0), ~12 min cold on 2 busy cores
#   victoria-metrics  v1.151.0  (github.com/VictoriaMetrics/VictoriaMetrics app/victoria-metrics, Apache-2.0)
# A binary is reused only if its own version output names the pinned version, so a warm run costs a second.
# Called by install.sh; runs on its own too. KMON_BACKENDS_FORCE=1 rebuilds anyway.
#
# Why these routes (checked against the proxy):
#   - Thanos' go.mod says `go 1.26.10` and the machine's Go is older, so its build alone runs with
#     GOTOOLCHAIN=$THANOS_GOTOOLCHAIN (the Go toolchain module, served by the same proxy). `go install
#     …@v0.42.5` is refused because its go.mod has replace directives; building inside a writable copy of
#     the downloaded module folder honours them. Version stamp and build tags as upstream's .promu.yml has
#     them: without `slicelabels` (Prometheus' labels as a slice, which Thanos' ZLabels cast to unsafely) the
#     sidecar builds fine and then panics on its first gRPC answer ("makeslice: len out of range").
#   - VictoriaMetrics has no replace directives and needs go 1.26.6: a plain `go install …@v1.151.0`,
#     with the version stamped like upstream's Makefile does (`victoria-metrics -version` prints it).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v go >/dev/null || die "backends: go not found"
mkdir -p "$BIN" "$CACHE/build"

# One build at a time per cache (two checkouts may install at once); the lock dies with the process.
exec 8>"$CACHE/.install-backends.lock"
flock 8

# has_version BINARY FLAG PATTERN: the binary runs and its version output matches.
has_version() {
	[[ -z ${KMON_BACKENDS_FORCE:-} && -x $1 ]] && "$1" "$2" 2>&1 | grep -qE "$3"
}

# Runs a build step with its output in a log, shown only if it fails.
build_step() {
	local name="$1" log="$CACHE/go-$1.log"
	shift
	if ! "$@" >"$log" 2>&1; then
		tail -n 40 "$log" >&2
		die "backends: $name failed to build (full log: $log)"
	fi
}

THANOS_TAGS=netgo,slicelabels
thanos_ok() {
	has_version "$1" --version "^thanos, version ${THANOS_MOD#*@v} " &&
		go version -m "$1" | grep -qE "^[[:space:]]+build[[:space:]]+-tags=$THANOS_TAGS\$"
}

install_thanos() {
	local ver="${THANOS_MOD#*@v}" dir work started=$SECONDS
	if thanos_ok "$BIN/thanos"; then
		say "backends: thanos $ver cached"
		return
	fi
	say "backends: building thanos $ver with $THANOS_GOTOOLCHAIN (about 12 min cold on 2 cores, seconds with Go's build cache)"
	dir="$(GOTOOLCHAIN=$THANOS_GOTOOLCHAIN go mod download -json "$THANOS_MOD" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
	[[ -d $dir ]] || die "backends: go mod download $THANOS_MOD gave no module folder"
	# A fixed folder (not mktemp) so Go's build cache, keyed by file paths among others, is reused.
	work="$CACHE/build/thanos-$ver"
	rm -rf "$work" && cp -r "$dir/." "$work" && chmod -R u+w "$work"
	build_step thanos env -C "$work" GOTOOLCHAIN="$THANOS_GOTOOLCHAIN" GOFLAGS=-mod=mod \
		go build -trimpath -tags "$THANOS_TAGS" -o "$BIN/thanos.new" \
		-ldflags "-X github.com/prometheus/common/version.Version=$ver -X github.com/prometheus/common/version.Branch=v$ver" \
		./cmd/thanos
	rm -rf "$work"
	thanos_ok "$BIN/thanos.new" ||
		die "backends: the thanos build does not say version $ver with tags $THANOS_TAGS: $("$BIN/thanos.new" --version 2>&1 | head -1)"
	mv "$BIN/thanos.new" "$BIN/thanos"
	say "backends: thanos $ver built in $((SECONDS - started))s"
}

install_victoria_metrics() {
	local ver="${VICTORIA_METRICS_MOD#*@}" started=$SECONDS tmp
	if has_version "$BIN/victoria-metrics" -version "^victoria-metrics-$ver\$"; then
		say "backends: victoria-metrics $ver cached"
		return
	fi
	say "backends: building victoria-metrics $ver (a few minutes cold)"
	tmp="$(mktemp -d "$CACHE/build/vm.XXXXXX")"
	build_step victoria-metrics env GOBIN="$tmp" go install -trimpath \
		-ldflags "-X github.com/VictoriaMetrics/VictoriaMetrics/lib/buildinfo.Version=victoria-metrics-$ver" \
		"${VICTORIA_METRICS_MOD%@*}/app/victoria-metrics@$ver"
	has_version "$tmp/victoria-metrics" -version "^victoria-metrics-$ver\$" ||
		die "backends: the victoria-metrics build does not say $ver: $("$tmp/victoria-metrics" -version 2>&1 | head -1)"
	mv "$tmp/victoria-metrics" "$BIN/victoria-metrics"
	rm -rf "$tmp"
	say "backends: victoria-metrics $ver built in $((SECONDS - started))s"
}

install_victoria_metrics
install_thanos
