# What bench/run.sh and bench/bare.sh share; sourced after they set ROOT and define log and die.
# Both read BENCH_JAR and BENCH_JDKS the same way.

TEMURIN25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java

# Sets JAR to the service's jar (BENCH_JAR, or target/token-service-*.jar, built when missing),
# as an absolute path.
find_or_build_jar() {
	JAR="${BENCH_JAR:-$(ls "$ROOT"/target/token-service-*.jar 2>/dev/null | grep -v '\.original$' | head -n 1)}"
	if [ -z "$JAR" ] || [ ! -f "$JAR" ]; then
		log "no jar: building it (./mvnw -B -q package -DskipTests)"
		(cd "$ROOT" && ./mvnw -B -q package -DskipTests) || die "the build failed"
		JAR="$(ls "$ROOT"/target/token-service-*.jar | grep -v '\.original$' | head -n 1)"
		[ -f "$JAR" ] || die "the build made no target/token-service-*.jar"
	fi
	JAR="$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")"
}

# Installs wrk from Debian's packages when it is absent (as root, or with sudo -n).
need_wrk() {
	command -v wrk >/dev/null && return 0
	log "installing wrk (Debian package)"
	local sudo=""
	[ "$(id -u)" != 0 ] && sudo="sudo -n"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get install -y -q wrk >/dev/null 2>&1 \
		|| { $sudo apt-get update -q >/dev/null 2>&1 && $sudo apt-get install -y -q wrk >/dev/null; } \
		|| die "cannot install wrk: run 'apt-get install -y wrk' as root"
}

# Sets JDKS: BENCH_JDKS, or $JAVA_HOME/bin/java (or java) plus Temurin 25 when installed and different.
pick_jdks() {
	if [ -n "${BENCH_JDKS:-}" ]; then
		read -r -a JDKS <<<"$BENCH_JDKS"
		return 0
	fi
	local first="java"
	[ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && first="$JAVA_HOME/bin/java"
	JDKS=("$first")
	if [ -x "$TEMURIN25" ] && [ "$(readlink -f "$(command -v "$first")")" != "$(readlink -f "$TEMURIN25")" ]; then
		JDKS+=("$TEMURIN25")
	fi
}

# java_property JAVA NAME: one system property of that JVM, e.g. java.version.
java_property() {
	"$1" -XshowSettings:properties -version 2>&1 | awk -F' = ' -v name="$2" '$1 ~ "^ *" name "$" {print $2}'
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
