#!/usr/bin/env bash
# The HTTP stack's own ceiling on this machine, beside the service: a bare Spring Boot app
# (bench/bare, a no-op GET, the same Spring Boot) and the service run side by side, and wrk
# alternates between them, so both see the same machine. Prints requests/s and p99 for each run
# and the medians, and the ratios of the service's token checks to the bare no-op.
#
# Usage: bench/bare.sh      (settings from the environment; all optional)
#   BENCH_JDKS       java executables, space-separated (default: as bench/run.sh)
#   BENCH_JAVA_OPTS  JVM options of both servers (default: the documented ones, DOCUMENTED_JAVA_OPTS in common.sh)
#   BENCH_WARMUP     seconds of warm-up of each server (default 40)
#   BENCH_DURATION   seconds of each measured run (default 10)
#   BENCH_ROUNDS     rounds of alternating runs (default 3)
#   BENCH_JAR        the service's jar (default: target/token-service-*.jar, built when missing)
set -u -o pipefail

BENCH_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
cd "$ROOT"
WARMUP="${BENCH_WARMUP:-40}"
DURATION="${BENCH_DURATION:-10}"
ROUNDS="${BENCH_ROUNDS:-3}"

log() { printf '[bare %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"

start_work bare

find_or_build_jar
need_wrk
pick_jdks
log "building bench/bare"
./mvnw -B -q -f bench/bare/pom.xml package -DskipTests || die "the bare app did not build"
BARE_JAR="$BENCH_DIR/bare/target/bare-1.jar"

for java in "${JDKS[@]}"; do
	version="$(java_property "$java" java.version)"
	log "=== $java ($version), $JAVA_OPTS_BENCH"
	: >"$WORK/runs"
	bare_port="$(free_port)"
	# shellcheck disable=SC2086 # the JVM options are a list of words
	"$java" $JAVA_OPTS_BENCH -jar "$BARE_JAR" --server.port="$bare_port" >"$WORK/bare.log" 2>&1 &
	bare_pid=$!
	PIDS+=("$bare_pid")
	bare="http://127.0.0.1:$bare_port"
	await_200 "$bare/noop"
	start_service "$java" service --password.bcrypt_cost=4
	service="$SERVICE"
	service_pid="$SERVICE_PID"
	python3 "$BENCH_DIR/seed.py" "$service" 100 500 8 "bare$RANDOM" "$WORK" >/dev/null || die "seeding failed"
	log "warm-up: $WARMUP s each"
	wrk -t1 -c64 -d"${WARMUP}s" "$bare/noop" >/dev/null
	wrk -t1 -c64 -d"${WARMUP}s" -s "$BENCH_DIR/wrk.lua" "$service" -- status_path "$WORK/tokens.txt" >/dev/null
	for round in $(seq "$ROUNDS"); do
		measure bare_noop 64 "$bare/noop"
		measure service_noop 64 -s "$BENCH_DIR/wrk.lua" "$service" -- noop
		measure service_status_path 64 -s "$BENCH_DIR/wrk.lua" "$service" -- status_path "$WORK/tokens.txt"
		measure service_status_bearer 64 -s "$BENCH_DIR/wrk.lua" "$service" -- status_bearer "$WORK/tokens.txt"
		log "round $round of $ROUNDS done"
	done
	kill "$bare_pid" "$service_pid"
	wait "$bare_pid" "$service_pid" 2>/dev/null
	PIDS=()
	echo "== $java ($version), $JAVA_OPTS_BENCH, wrk -t1 -c64, $ROUNDS x $DURATION s alternating; medians:"
	print_medians service_noop/bare_noop service_status_path/bare_noop service_status_bearer/bare_noop
done
