#!/usr/bin/env bash
# Installs what the local test stack runs, from the package registries only, and caches it in
# ${KMON_STACK_CACHE:-$HOME/.cache/kmon-stack} (plus ~/.m2 and Go's module cache), so a second run on the
# same machine, even from a fresh clone, only checks and returns. Safe to run any number of times.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mkdir -p "$CACHE" "$BIN"
started_at=$SECONDS

# --- Debian packages -------------------------------------------------------------------------------
# prometheus: 2.42 server + promtool. kcat: the workload's Kafka client (far lighter than a JVM per client
# on 2 cores). tmux, docker-compose: used by other tests; faketime: kmon on a skewed clock (libfaketime).
# Each installed only when missing.
install_apt() {
	local missing=() cmd pkg
	for pair in prometheus:prometheus promtool:prometheus kcat:kcat tmux:tmux docker-compose:docker-compose faketime:faketime; do
		cmd="${pair%%:*}" pkg="${pair##*:}"
		if ! command -v "$cmd" >/dev/null; then
			[[ " ${missing[*]} " == *" $pkg "* ]] || missing+=("$pkg")
		fi
	done
	if ((${#missing[@]} == 0)); then
		say "apt: prometheus, kcat, tmux, docker-compose, faketime present"
		return
	fi
	say "apt: installing ${missing[*]}"
	# The prometheus package would start its own server on :9090 through invoke-rc.d; a policy-rc.d that
	# answers 101 ("action forbidden") stops that. Only added if the machine has none, and removed after.
	local policy=/usr/sbin/policy-rc.d added_policy=""
	if [[ ! -e $policy ]]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added_policy=1
	fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	[[ -z $added_policy ]] || rm -f "$policy"
}

# --- Jars from Maven Central: Kafka 4.3.1 classpath and both JMX exporter generations -----------------
# A stamp holds the pom's checksum, so editing jars.pom.xml re-fetches; ~/.m2 keeps the downloads.
install_jars() {
	local pom="$STACK_SRC/jars.pom.xml" stamp="$CACHE/jars.pom.sha256" sum
	sum="$(sha256sum "$pom" | cut -d' ' -f1)"
	if [[ -f $stamp && "$(cat "$stamp")" == "$sum" && -f $JMX_JAR_1 && -f $JMX_JAR_0 ]] &&
		compgen -G "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" >/dev/null; then
		say "jars: Kafka $KAFKA_VERSION ($(find "$KAFKA_LIBS" -name '*.jar' | wc -l) jars) and JMX exporters 1.0.1, 0.20.0 cached"
		return
	fi
	say "jars: fetching Kafka $KAFKA_VERSION classpath and JMX exporters with Maven"
	rm -rf "$KAFKA_LIBS" "$CACHE/jmx" # no stale jars from an older pom on the classpath
	# Maven's own output goes to a log, shown only if it fails.
	if ! mvn -B -Dstyle.color=never -f "$pom" -Dkmon.cache="$CACHE" \
		dependency:copy-dependencies dependency:copy >"$CACHE/mvn.log" 2>&1; then
		tail -n 40 "$CACHE/mvn.log" >&2
		die "jars: mvn failed (full log: $CACHE/mvn.log)"
	fi
	# Pinning check: every Kafka jar on the classpath must be the pinned release.
	local jar
	for jar in "$KAFKA_LIBS"/kafka*.jar "$KAFKA_LIBS"/connect-*.jar; do
		[[ $jar == *"-$KAFKA_VERSION.jar" ]] || die "Kafka jar not at $KAFKA_VERSION: $jar"
	done
	echo "$sum" >"$stamp"
}

# --- Go exporters, built from their tagged modules -------------------------------------------------
# kafka_exporter v1.9.0 needs Go >= 1.24, statsd_exporter v0.30.0 Go >= 1.25 (checked in their go.mod).
# A binary is reused only if its embedded build info names the pinned module version.
install_go() {
	local modver="$1" name="$2" mod ver
	mod="${modver%@*}" ver="${modver#*@}"
	if [[ -x $BIN/$name ]] && go version -m "$BIN/$name" 2>/dev/null | grep -qE "^[[:space:]]+mod[[:space:]]+${mod}[[:space:]]+${ver}([[:space:]]|$)"; then
		say "go: $name $ver cached"
		return
	fi
	say "go: building $name $ver"
	if ! GOBIN="$BIN" go install "$modver" >"$CACHE/go-$name.log" 2>&1; then
		cat "$CACHE/go-$name.log" >&2
		return 1
	fi
}

install_apt
install_jars
install_go "$STATSD_EXPORTER_MOD" statsd_exporter || die "go: statsd_exporter failed to build"

# --- kafka_exporter: the ordinary route first, else its own source in ../shared/third_party -----------
# The Go module proxy these machines reach answers 403 for every version of github.com/danielqsj/kafka_exporter.
# ../shared/third_party/kafka_exporter-1.9.0/ holds the exporter's source at its tag (PROVENANCE.md there);
# it is built from a writable copy (shared/ is read-only) and never copied into this repository. The binary
# is cached with a stamp holding the source's checksum, so a changed source rebuilds and an unchanged one
# is reused, and it must say "version 1.9.0" before it is kept.
KAFKA_EXPORTER_SRC="${KMON_KAFKA_EXPORTER_SRC:-$KMON_ROOT/../shared/third_party/kafka_exporter-1.9.0}"
kafka_exporter_says_version() {
	"$1" --version 2>&1 | grep -qE "version ${KAFKA_EXPORTER_MOD#*@v}([[:space:]]|$)"
}
install_kafka_exporter() {
	local stamp="$CACHE/kafka_exporter.source.sha256" sum="" work
	# Checksum over the source's file names and contents, in a stable order.
	[[ ! -d $KAFKA_EXPORTER_SRC ]] ||
		sum="$(cd "$KAFKA_EXPORTER_SRC" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
	if [[ -n $sum && -x $BIN/kafka_exporter && -f $stamp && "$(cat "$stamp")" == "$sum" ]] && kafka_exporter_says_version "$BIN/kafka_exporter"; then
		say "go: kafka_exporter ${KAFKA_EXPORTER_MOD#*@} cached (built from $KAFKA_EXPORTER_SRC)"
		return 0
	fi
	if install_go "$KAFKA_EXPORTER_MOD" kafka_exporter 2>/dev/null; then
		rm -f "$stamp"
		return 0
	fi
	[[ -n $sum ]] || die "kafka_exporter: the Go module proxy refuses $KAFKA_EXPORTER_MOD and its source is not at $KAFKA_EXPORTER_SRC (see ../shared/README.md)"
	say "go: the module proxy refuses $KAFKA_EXPORTER_MOD; building it from $KAFKA_EXPORTER_SRC (25-50 s cold)"
	work="$(mktemp -d)"
	cp -r "$KAFKA_EXPORTER_SRC/." "$work" && chmod -R u+w "$work"
	if ! (cd "$work" && GOFLAGS=-mod=mod go build -trimpath \
		-ldflags "-X github.com/prometheus/common/version.Version=${KAFKA_EXPORTER_MOD#*@v} -X github.com/prometheus/common/version.Revision=8ec24078707d" \
		-o "$BIN/kafka_exporter.new" .) >"$CACHE/go-kafka_exporter.log" 2>&1; then
		cat "$CACHE/go-kafka_exporter.log" >&2
		rm -rf "$work"
		die "kafka_exporter: build from $KAFKA_EXPORTER_SRC failed (log above)"
	fi
	rm -rf "$work"
	kafka_exporter_says_version "$BIN/kafka_exporter.new" ||
		die "kafka_exporter: the build does not say version ${KAFKA_EXPORTER_MOD#*@v}: $("$BIN/kafka_exporter.new" --version 2>&1 | head -1)"
	mv "$BIN/kafka_exporter.new" "$BIN/kafka_exporter"
	echo "$sum" >"$stamp"
}
install_kafka_exporter

# --- cAdvisor: its build lives in install-cadvisor.sh (written separately) --------------------------
if [[ -f $STACK_SRC/install-cadvisor.sh ]]; then
	KMON_STACK_CACHE="$CACHE" bash "$STACK_SRC/install-cadvisor.sh"
else
	warn "cadvisor: test/stack/install-cadvisor.sh not found; the stack will run without cAdvisor"
fi

# --- Thanos and VictoriaMetrics, for the backends part (backends.sh): built once, ~6-12 min cold --------
bash "$STACK_SRC/install-backends.sh"

say "install done in $((SECONDS - started_at))s: cache $CACHE"
