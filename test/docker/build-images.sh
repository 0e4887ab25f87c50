#!/usr/bin/env bash
# Builds, with no registry and no pull, the images stack/compose.yml references, tagged exactly as it
# names them, from the same binaries and jars as the local test stack (test/stack/install.sh, cached in
# ${KMON_STACK_CACHE:-$HOME/.cache/kmon-stack}). Starts a Docker engine first if none answers
# (test/docker/dockerd.sh). Idempotent: an image whose recorded inputs (label kmon.test.inputs) match is
# kept, so a warm run only hashes and returns.
#
# Layers (all FROM scratch, nothing pulled):
#   kmon-test/libc   glibc + loader from this Debian host, /etc/passwd, CA certificates
#   kmon-test/base   + busybox-static (sh, wget, tr, ...) + bash, and the libraries of the binaries below
#   kmon-test/jre    + a jlink'ed runtime of this host's OpenJDK 17 (the JVM the test stack runs)
#   service images   one per compose service: the test stack's binary or jars on the matching layer
# Why jlink on scratch, not a debootstrap'ed minbase: the same JVM build, ~60 MB instead of ~250 MB,
# ~10 s cold instead of minutes; see test/docker/README.md.
#
# Prometheus is Debian's 2.42 (the test stack's), whatever version its tag names: the tag only makes the
# real compose file run unchanged. KMON_DOCKER_FORCE=1 rebuilds everything.
# Exit codes: 0 ok, 1 failed, 3 no Docker engine can run here (reason on stderr).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
COMPOSE_FILE="${KMON_COMPOSE_FILE:-$ROOT/stack/compose.yml}"
STATE="$HERE/.state"
WORK="$STATE/build"
CACHE="${KMON_STACK_CACHE:-$HOME/.cache/kmon-stack}"
BIN="$CACHE/bin"
KAFKA_LIBS="$CACHE/kafka-4.3.1/libs"
JMX_JAR="$CACHE/jmx/jmx_prometheus_httpserver-1.0.1.jar"
JDK_HOME="${KMON_DOCKER_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}"
# Modules for Kafka, the JMX exporter (jdk.httpserver) and remote JMX (jdk.management.agent).
JRE_MODULES=java.se,jdk.management,jdk.management.agent,jdk.httpserver,jdk.unsupported,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.naming.dns,jdk.naming.rmi,jdk.security.auth,jdk.security.jgss,jdk.zipfs,jdk.jfr,jdk.net,jdk.localedata
# Every image's inputs include this script, so changing how images are assembled rebuilds them.
RECIPE="$(sha256sum <"${BASH_SOURCE[0]}" | cut -c1-16)"
LABEL=kmon.test.inputs

say() { printf '[kmon-docker] %s\n' "$*" >&2; }
die() {
	printf '[kmon-docker] ERROR: %s\n' "$*" >&2
	exit 1
}

# --- prerequisites -------------------------------------------------------------------------------------
bash "$HERE/dockerd.sh" start # exits 3 when no engine can run here

if ! [[ -x /bin/busybox ]] || ! file -L /bin/busybox 2>/dev/null | grep -q 'statically linked'; then
	say "installing busybox-static (sh, wget, tr for the images' scripts and health checks)"
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends busybox-static >/dev/null
fi
[[ -x $JDK_HOME/bin/jlink ]] || die "no jlink at $JDK_HOME (install openjdk-17-jdk-headless, or set KMON_DOCKER_JDK)"
if ! [[ -x $BIN/statsd_exporter && -x $BIN/kafka_exporter && -x $BIN/cadvisor && -f $JMX_JAR ]] ||
	! compgen -G "$KAFKA_LIBS/kafka_2.13-*.jar" >/dev/null || ! command -v prometheus >/dev/null; then
	say "test stack binaries missing: running test/stack/install.sh"
	bash "$ROOT/test/stack/install.sh"
fi
for f in "$BIN/statsd_exporter" "$BIN/kafka_exporter" "$BIN/cadvisor" "$JMX_JAR" /usr/bin/prometheus; do
	[[ -e $f ]] || die "$f missing after test/stack/install.sh"
done

export DOCKER_BUILDKIT=0 # the classic builder: no buildx needed, FROM scratch and local parents only
mkdir -p "$WORK"

# --- helpers -------------------------------------------------------------------------------------------
# Hash of the inputs of an image: file contents, strings, and parent image ids.
inputs_hash() {
	local item
	for item in "$@"; do
		if [[ -f $item ]]; then
			printf 'file %s %s\n' "$(basename "$item")" "$(sha256sum <"$item" | cut -d' ' -f1)"
		elif [[ -d $item ]]; then
			printf 'dir %s %s\n' "$(basename "$item")" "$(cd "$item" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1)"
		else
			printf 'str %s\n' "$item"
		fi
	done | sha256sum | cut -d' ' -f1
}

image_id() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }

up_to_date() {
	local tag="$1" hash="$2"
	[[ -z ${KMON_DOCKER_FORCE:-} ]] &&
		[[ "$(docker image inspect -f "{{index .Config.Labels \"$LABEL\"}}" "$tag" 2>/dev/null || true)" == "$hash" ]]
}

# build TAG HASH CONTEXT: docker build of CONTEXT/Dockerfile, labelled with the inputs hash.
build() {
	local tag="$1" hash="$2" context="$3" started=$SECONDS
	docker build -q --label "$LABEL=$hash" --label kmon.test.built-by=test/docker/build-images.sh \
		-t "$tag" "$context" >/dev/null 2> >(grep -v -e 'DEPRECATED' -e 'legacy builder' -e 'BuildKit' -e 'buildx' -e '^ *$' -e 'environment-variable' >&2) ||
		die "docker build of $tag failed"
	say "built $tag in $((SECONDS - started)) s ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}'))"
}

# Shared libraries (and the loader) a set of ELF files needs, one path per line.
needed_libs() {
	local f
	for f in "$@"; do
		ldd "$f" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' || true
	done | sort -u
}

# Copies files into a staged root file system under the same absolute paths (symlinks resolved).
stage_files() {
	local root="$1" f
	shift
	for f in "$@"; do
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
	done
}

fresh_context() {
	local dir="$WORK/$1"
	rm -rf "$dir"
	mkdir -p "$dir"
	printf '%s' "$dir"
}

# --- the images compose.yml wants --------------------------------------------------------------------
declare -A IMAGE_OF=()
while read -r service image; do
	IMAGE_OF[$service]="$image"
done < <(awk '
	/^services:/ {in_services = 1; next}
	in_services && /^[^ #]/ {in_services = 0}
	in_services && /^  [A-Za-z0-9_.-]+:[[:space:]]*$/ {service = $1; sub(/:$/, "", service)}
	in_services && /^    image:/ {image = $2; gsub(/["'\'']/, "", image); print service, image}
' "$COMPOSE_FILE")
((${#IMAGE_OF[@]} > 0)) || die "no services with an image found in $COMPOSE_FILE"
for service in "${!IMAGE_OF[@]}"; do
	case "$service" in
	prometheus | kafka-exporter | jmx-exporter | cadvisor | statsd-exporter | kafka) ;;
	# The demo's load runs the broker's own image and tools: built once, as the kafka service's.
	demo-workload)
		[[ ${IMAGE_OF[$service]} == "${IMAGE_OF[kafka]:-}" ]] ||
			die "service demo-workload runs ${IMAGE_OF[$service]}, not the kafka service's image (${IMAGE_OF[kafka]:-none}): this script builds only that one"
		;;
	*) die "$COMPOSE_FILE has service '$service' (${IMAGE_OF[$service]}) and this script has no recipe for it" ;;
	esac
	# shellcheck disable=SC2016 # a literal "${" in the image name
	[[ ${IMAGE_OF[$service]} == *'${'* ]] && die "image of '$service' is set by a variable (${IMAGE_OF[$service]}); pin it in $COMPOSE_FILE"
done

# --- layer 1: libc -------------------------------------------------------------------------------------
pkg_versions() { dpkg-query -W -f '${Package}=${Version}\n' "$@" 2>/dev/null | sort | tr '\n' ' '; }

LIBC_TAG=kmon-test/libc:latest
libc_hash="$(inputs_hash "recipe $RECIPE" "$(pkg_versions libc6 ca-certificates)")"
if up_to_date "$LIBC_TAG" "$libc_hash"; then
	say "kmon-test/libc up to date"
else
	ctx="$(fresh_context libc)"
	root="$ctx/rootfs"
	mkdir -p "$root"/{etc,tmp,bin,lib,lib64,root,home/appuser} "$root/etc/ssl/certs"
	chmod 1777 "$root/tmp"
	mapfile -t libs < <(needed_libs /bin/ls | grep -E 'libc\.so|ld-linux')
	stage_files "$root" "${libs[@]}"
	cp -L /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/"
	cat >"$root/etc/passwd" <<-'EOF'
		root:x:0:0:root:/root:/bin/sh
		appuser:x:1000:1000::/home/appuser:/bin/bash
		nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
		nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
	EOF
	cat >"$root/etc/group" <<-'EOF'
		root:x:0:
		appuser:x:1000:
		nonroot:x:65532:
		nogroup:x:65534:
	EOF
	printf 'hosts: files dns\n' >"$root/etc/nsswitch.conf"
	cat >"$ctx/Dockerfile" <<-'EOF'
		FROM scratch
		COPY rootfs/ /
		ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	EOF
	build "$LIBC_TAG" "$libc_hash" "$ctx"
fi

# --- layer 2: base (busybox, bash, the binaries' libraries) -------------------------------------------
BASE_TAG=kmon-test/base:latest
base_bins=(/bin/bash /usr/bin/prometheus /usr/bin/promtool "$BIN/kafka_exporter" "$BIN/statsd_exporter")
base_hash="$(inputs_hash "recipe $RECIPE" "$(image_id "$LIBC_TAG")" "$(pkg_versions busybox-static bash libc6 libtinfo6)" \
	"$(needed_libs "${base_bins[@]}" | tr '\n' ' ')")"
if up_to_date "$BASE_TAG" "$base_hash"; then
	say "kmon-test/base up to date"
else
	ctx="$(fresh_context base)"
	root="$ctx/rootfs"
	mkdir -p "$root/bin"
	cp /bin/busybox "$root/bin/busybox"
	# Applet links at their usual places, except where bash itself goes.
	while read -r applet; do
		[[ $applet == bin/bash || $applet == bin/sh || $applet == bin/busybox ]] && continue
		mkdir -p "$root/$(dirname "$applet")"
		ln -sf /bin/busybox "$root/$applet"
	done < <(/bin/busybox --list-full)
	cp -L /bin/bash "$root/bin/bash"
	# /bin/sh is bash: Debian's busybox-static is a "standalone shell" that runs its own applets before
	# PATH, so scripts would get busybox's mktemp even where the image has GNU's.
	ln -sf bash "$root/bin/sh"
	mapfile -t libs < <(needed_libs "${base_bins[@]}" | grep -v -E 'libc\.so|ld-linux')
	stage_files "$root" "${libs[@]}"
	cat >"$ctx/Dockerfile" <<-EOF
		FROM $LIBC_TAG
		COPY rootfs/ /
	EOF
	build "$BASE_TAG" "$base_hash" "$ctx"
fi

# --- layer 3: JRE --------------------------------------------------------------------------------------
JRE_TAG=kmon-test/jre:latest
jdk_pkg="$(dpkg -S "$JDK_HOME/bin/jlink" 2>/dev/null | cut -d: -f1 || echo "$JDK_HOME")"
jre_hash="$(inputs_hash "recipe $RECIPE" "$(image_id "$BASE_TAG")" "$JRE_MODULES" "$(pkg_versions "$jdk_pkg" libstdc++6 libgcc-s1 zlib1g coreutils)")"
if up_to_date "$JRE_TAG" "$jre_hash"; then
	say "kmon-test/jre up to date"
else
	ctx="$(fresh_context jre)"
	root="$ctx/rootfs"
	mkdir -p "$root/opt/java"
	say "jlink: a runtime of $JDK_HOME with $(tr ',' '\n' <<<"$JRE_MODULES" | wc -l) modules"
	"$JDK_HOME/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug --no-man-pages --no-header-files \
		--compress=2 --generate-cds-archive --output "$root/opt/java/openjdk"
	# Libraries of the runtime, leaving out those only the desktop (X11, sound, fonts) parts load.
	mapfile -t jre_elves < <(find "$root/opt/java/openjdk" -name '*.so' -o -path '*/bin/*' -type f)
	desktop='libX|libxcb|libasound|libfreetype|libpng|libharfbuzz|libglib|libgraphite|libbrotli|libbsd|libmd\.|libpcre|libjpeg|libgif|liblcms'
	mapfile -t libs < <(needed_libs "${jre_elves[@]}" | grep -v -E "libc\.so|ld-linux|$desktop" | grep -v "^$root")
	stage_files "$root" "${libs[@]}"
	# GNU mktemp, as on the Ubuntu base of eclipse-temurin: stack/jmx-exporter/entrypoint.sh uses a template
	# with a suffix (XXXXXX.yml), which busybox's mktemp rejects.
	mkdir -p "$root/usr/bin"
	cp -L /usr/bin/mktemp "$root/usr/bin/mktemp"
	cat >"$ctx/Dockerfile" <<-EOF
		FROM $BASE_TAG
		COPY rootfs/ /
		ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
	EOF
	build "$JRE_TAG" "$jre_hash" "$ctx"
fi

# --- service images ------------------------------------------------------------------------------------
image_prometheus() {
	local tag="$1" hash ctx
	hash="$(inputs_hash "recipe $RECIPE" "$(image_id "$BASE_TAG")" /usr/bin/prometheus /usr/bin/promtool "$(pkg_versions prometheus)")"
	up_to_date "$tag" "$hash" && { say "$tag up to date"; return; }
	ctx="$(fresh_context prometheus)"
	mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/etc/prometheus" "$ctx/rootfs/usr/share" "$ctx/data"
	cp /usr/bin/prometheus /usr/bin/promtool "$ctx/rootfs/bin/"
	cp -r /usr/share/prometheus "$ctx/rootfs/usr/share/" 2>/dev/null || true
	cat >"$ctx/rootfs/etc/prometheus/prometheus.yml" <<-'EOF'
		# Default of kmon's test image; stack/compose.yml mounts its own over this file.
		global: {scrape_interval: 15s}
		scrape_configs:
		  - job_name: prometheus
		    static_configs: [{targets: ['localhost:9090']}]
	EOF
	cat >"$ctx/Dockerfile" <<-EOF
		FROM $BASE_TAG
		COPY rootfs/ /
		COPY --chown=65534:65534 data/ /prometheus/
		USER 65534:65534
		WORKDIR /prometheus
		EXPOSE 9090
		VOLUME ["/prometheus"]
		ENTRYPOINT ["/bin/prometheus"]
		CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
	EOF
	build "$tag" "$hash" "$ctx"
}

# A Go exporter at /bin/NAME on PARENT, run as nobody.
image_go_exporter() {
	local tag="$1" parent="$2" binary="$3" name="$4" port="$5" hash ctx
	hash="$(inputs_hash "recipe $RECIPE" "$(image_id "$parent")" "$binary" "$name $port")"
	up_to_date "$tag" "$hash" && { say "$tag up to date"; return; }
	ctx="$(fresh_context "$name")"
	cp "$binary" "$ctx/$name"
	cat >"$ctx/Dockerfile" <<-EOF
		FROM $parent
		COPY $name /bin/$name
		USER 65534:65534
		EXPOSE $port
		ENTRYPOINT ["/bin/$name"]
	EOF
	build "$tag" "$hash" "$ctx"
}

image_cadvisor() {
	local tag="$1" hash ctx
	hash="$(inputs_hash "recipe $RECIPE" "$(image_id "$BASE_TAG")" "$BIN/cadvisor")"
	up_to_date "$tag" "$hash" && { say "$tag up to date"; return; }
	ctx="$(fresh_context cadvisor)"
	cp "$BIN/cadvisor" "$ctx/cadvisor"
	cat >"$ctx/Dockerfile" <<-EOF
		FROM $BASE_TAG
		COPY cadvisor /usr/bin/cadvisor
		EXPOSE 8080
		ENTRYPOINT ["/usr/bin/cadvisor", "-logtostderr"]
	EOF
	build "$tag" "$hash" "$ctx"
}

# stack/jmx-exporter/Dockerfile's image: the same jar (checked against its pinned sha256) and the same
# entrypoint.sh, on the local JRE instead of eclipse-temurin.
image_jmx_exporter() {
	local tag="$1" hash ctx dockerfile="$ROOT/stack/jmx-exporter/Dockerfile" entry="$ROOT/stack/jmx-exporter/entrypoint.sh" want have
	[[ -f $dockerfile && -f $entry ]] || die "stack/jmx-exporter/{Dockerfile,entrypoint.sh} missing"
	want="$(sed -n 's/^ARG JMX_EXPORTER_SHA256=//p' "$dockerfile")"
	have="$(sha256sum <"$JMX_JAR" | cut -d' ' -f1)"
	[[ -z $want || $want == "$have" ]] || die "$JMX_JAR has sha256 $have, stack/jmx-exporter/Dockerfile pins $want"
	hash="$(inputs_hash "recipe $RECIPE" "$(image_id "$JRE_TAG")" "$JMX_JAR" "$entry")"
	up_to_date "$tag" "$hash" && { say "$tag up to date"; return; }
	ctx="$(fresh_context jmx-exporter)"
	cp "$JMX_JAR" "$ctx/jmx_prometheus_httpserver.jar"
	cp "$entry" "$ctx/entrypoint.sh"
	cat >"$ctx/Dockerfile" <<-EOF
		FROM $JRE_TAG
		COPY jmx_prometheus_httpserver.jar /opt/jmx-exporter/jmx_prometheus_httpserver.jar
		COPY entrypoint.sh /opt/jmx-exporter/entrypoint.sh
		USER 65532:65532
		EXPOSE 5556
		ENTRYPOINT ["/opt/jmx-exporter/entrypoint.sh"]
	EOF
	build "$tag" "$hash" "$ctx"
}

# apache/kafka: the Maven Central classpath of the test stack, bin/ scripts and an entry point that
# behaves like the upstream image's (test/docker/images/kafka/run).
image_kafka() {
	local tag="$1" hash ctx scripts="$HERE/images/kafka"
	hash="$(inputs_hash "recipe $RECIPE" "$(image_id "$JRE_TAG")" "$KAFKA_LIBS" "$scripts")"
	up_to_date "$tag" "$hash" && { say "$tag up to date"; return; }
	ctx="$(fresh_context kafka)"
	mkdir -p "$ctx/opt/kafka/bin" "$ctx/opt/kafka/config" "$ctx/etc/kafka/docker" "$ctx/data"
	cp -r "$KAFKA_LIBS" "$ctx/opt/kafka/libs"
	cp "$scripts/kafka-run-class.sh" "$scripts/kafka-server-start.sh" "$ctx/opt/kafka/bin/"
	cp "$scripts/log4j2.properties" "$scripts/tools-log4j2.properties" "$ctx/opt/kafka/config/"
	cp "$scripts/run" "$ctx/etc/kafka/docker/run"
	local pair
	for pair in kafka-storage:kafka.tools.StorageTool \
		kafka-broker-api-versions:org.apache.kafka.tools.BrokerApiVersionsCommand \
		kafka-topics:org.apache.kafka.tools.TopicCommand \
		kafka-consumer-groups:org.apache.kafka.tools.consumer.group.ConsumerGroupCommand \
		kafka-console-producer:org.apache.kafka.tools.ConsoleProducer \
		kafka-console-consumer:org.apache.kafka.tools.consumer.ConsoleConsumer \
		kafka-producer-perf-test:org.apache.kafka.tools.ProducerPerformance; do
		printf '#!/bin/bash\nexec /opt/kafka/bin/kafka-run-class.sh %s "$@"\n' "${pair#*:}" >"$ctx/opt/kafka/bin/${pair%%:*}.sh"
	done
	chmod 0755 "$ctx"/opt/kafka/bin/*.sh "$ctx/etc/kafka/docker/run"
	cat >"$ctx/Dockerfile" <<-EOF
		FROM $JRE_TAG
		COPY --chown=1000:1000 opt/ /opt/
		COPY --chown=1000:0 etc/ /etc/
		COPY --chown=1000:0 data/ /var/lib/kafka/data/
		COPY --chown=1000:0 data/ /etc/kafka/secrets/
		COPY --chown=1000:1000 data/ /mnt/shared/config/
		USER 1000:1000
		EXPOSE 9092
		VOLUME ["/etc/kafka/secrets", "/var/lib/kafka/data", "/mnt/shared/config"]
		CMD ["/etc/kafka/docker/run"]
	EOF
	build "$tag" "$hash" "$ctx"
}

for service in prometheus kafka-exporter statsd-exporter cadvisor jmx-exporter kafka; do
	tag="${IMAGE_OF[$service]:-}"
	[[ -n $tag ]] || continue
	case "$service" in
	prometheus) image_prometheus "$tag" ;;
	kafka-exporter) image_go_exporter "$tag" "$BASE_TAG" "$BIN/kafka_exporter" kafka_exporter 9308 ;;
	statsd-exporter) image_go_exporter "$tag" "$LIBC_TAG" "$BIN/statsd_exporter" statsd_exporter 9102 ;;
	cadvisor) image_cadvisor "$tag" ;;
	jmx-exporter) image_jmx_exporter "$tag" ;;
	kafka) image_kafka "$tag" ;;
	esac
done
# Older builds of these images, untagged by the ones above.
docker image prune -f --filter label=kmon.test.built-by=test/docker/build-images.sh >/dev/null || true
say "images ready in ${SECONDS} s: $(printf '%s ' "${IMAGE_OF[@]}")"
