#!/usr/bin/env bash
# Runs the JMH microbenchmarks of src/jmh/java (token signing; reading new, repeated and tampered
# tokens; TokenVerifier.verify with its lookup in a fresh embedded H2 database), without HTTP, once
# per thread count, and prints JMH's tables and then one summary. See bench/README.md ("JMH").
#
# Usage: bench/jmh.sh [JMH options...]      e.g. bench/jmh.sh TokenVerifier -prof gc
#   JMH_THREADS      thread counts, one JMH run each (default: "1 2")
#   JMH_FORKS        forks per benchmark (default 1)
#   JMH_WARMUP       warm-up iterations (default 5)
#   JMH_WARMUP_TIME  length of each warm-up iteration (default 4s: on 2 cores with other load the JIT
#                    took 10-20 s to settle)
#   JMH_ITERATIONS   measured iterations (default 5)
#   JMH_TIME         length of each measured iteration (default 2s)
#   JMH_MODE         thrpt (ops/s, the default) or avgt (µs/op)
#   JMH_JAVA         the java executable (default: $JAVA_HOME/bin/java, or java)
#   JMH_BUILD=0      skip the build (./mvnw -Pjmh package) and run what target/jmh holds
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

THREADS="${JMH_THREADS:-1 2}"
JAVA_BIN="${JMH_JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}"
FORKS="${JMH_FORKS:-1}"
WARMUP="${JMH_WARMUP:-5}"
WARMUP_TIME="${JMH_WARMUP_TIME:-4s}"
ITERATIONS="${JMH_ITERATIONS:-5}"
TIME="${JMH_TIME:-2s}"
case "${JMH_MODE:-thrpt}" in
	thrpt) MODE=(-bm thrpt -tu s) ;;
	avgt) MODE=(-bm avgt -tu us) ;;
	*) echo "JMH_MODE must be thrpt or avgt" >&2; exit 2 ;;
esac

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [ "${JMH_BUILD:-1}" != 0 ]; then
	# Formatting is CI's concern, not a reason to refuse a measurement of work in progress.
	./mvnw -B -q -Pjmh package -Dmaven.test.skip=true -Dspring-javaformat.skip=true
fi
CLASSPATH="target/jmh/classes:$(cat target/jmh/classpath.txt)"

# The benchmarks fill a fresh embedded H2 database: a PostgreSQL named in the environment is not theirs.
unset DATABASE_URL DATABASE_USERNAME DATABASE_PASSWORD

for threads in $THREADS; do
	"$JAVA_BIN" -cp "$CLASSPATH" org.openjdk.jmh.Main -f "$FORKS" -wi "$WARMUP" -w "$WARMUP_TIME" -i "$ITERATIONS" \
		-r "$TIME" "${MODE[@]}" -t "$threads" -rf csv -rff "$WORK/threads-$threads.csv" "$@"
done

# JMH's own tables leave out the thread count: one table of every run from its CSV results (CRLF
# lines), less the profilers' rows that carry no number (-prof stack, -prof jfr).
echo
echo "JMH summary: $("$JAVA_BIN" -version 2>&1 | head -n 1), $(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg)"
echo "forks $FORKS, warm-up ${WARMUP}x$WARMUP_TIME, measurement ${ITERATIONS}x$TIME"
for threads in $THREADS; do
	tail -n +2 "$WORK/threads-$threads.csv"
done | awk -F, '
	BEGIN { printf "%-58s %7s %14s %12s  %s\n", "benchmark", "threads", "score", "error", "unit" }
	{
		gsub(/["\r]/, "")
		if ($7 == "---") next
		sub(/^dev\.tokenservice\.[a-z]+\./, "", $1)
		printf "%-58s %7s %14.1f %12s  %s\n", $1, $3, $5, ($6 == "NaN") ? "" : sprintf("± %.1f", $6), $7
	}'
