# What the bench scripts share; sourced after they set ROOT and define log and die. They read
# BENCH_JAR and BENCH_JDKS the same way. measure and print_medians are for the scripts that
# alternate wrk between servers running side by side (bare.sh, keycloak.sh): they use WORK and
# DURATION.

TEMURIN25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java

# The service's JVM options as the README and the Dockerfile document them.
DOCUMENTED_JAVA_OPTS="-Xms128m -Xmx128m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000"
JAVA_OPTS_BENCH="${BENCH_JAVA_OPTS:-$DOCUMENTED_JAVA_OPTS}"

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

now_ms() { echo $(($(date +%s%N) / 1000000)); }
# vm_kb PID FIELD: a /proc/PID/status figure in kB, e.g. VmRSS.
vm_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status" 2>/dev/null; }

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# start_work NAME: sets WORK to a new temporary directory, removed on exit after every server
# whose pid is in PIDS is stopped.
start_work() {
	PIDS=()
	WORK="$(mktemp -d -t "token-$1.XXXXXX")"
	trap 'for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$WORK"' EXIT
}

# start_service JAVA NAME ARGS...: starts the service's jar in WORK/NAME with a fresh data
# directory, the JVM options of JAVA_OPTS_BENCH, no config.yml and none of the variables the
# configuration reads; sets SERVICE (its URL) and SERVICE_PID (added to PIDS); waits until ready.
start_service() {
	local java="$1" name="$2" port
	shift 2
	port="$(free_port)"
	mkdir -p "$WORK/$name"
	# shellcheck disable=SC2086 # the JVM options are a list of words
	(cd "$WORK/$name" && exec env -u CONFIG_FILE -u DATABASE_URL -u JWT_SECRET "$java" $JAVA_OPTS_BENCH -jar "$JAR" \
		--server.port="$port" --data.dir="$WORK/$name/data" --limits.enabled=false \
		--jwt.secret="bench-secret-$RANDOM-0123456789abcdef0123456789abcdef" "$@" \
		>"$WORK/$name.log" 2>&1 </dev/null) &
	SERVICE_PID=$!
	PIDS+=("$SERVICE_PID")
	SERVICE="http://127.0.0.1:$port"
	await_200 "$SERVICE/actuator/health/readiness"
}

# await_200 URL: waits up to three minutes for a 200 from URL.
await_200() {
	for _ in $(seq 900); do
		[ "$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$1")" = 200 ] && return 0
		sleep 0.2
	done
	die "no 200 from $1"
}

# measure LABEL CONNS WRK-ARGS...: one wrk run of DURATION seconds; appends
# "LABEL req/s p99-ms non-2xx" to $WORK/runs.
measure() {
	local label="$1" conns="$2"
	shift 2
	wrk -t1 -c"$conns" -d"${DURATION}s" --timeout 15s --latency "$@" >"$WORK/wrk.txt" 2>&1 \
		|| { cat "$WORK/wrk.txt" >&2; die "wrk failed"; }
	python3 - "$label" "$WORK/wrk.txt" >>"$WORK/runs" <<'EOF'
import re, sys
text = open(sys.argv[2]).read()
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
value, unit = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)", text, re.M).groups()
p99 = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", text))
print(f"{sys.argv[1]} {rate:.1f} {p99:.2f} {errors}")
EOF
	log "$(tail -n 1 "$WORK/runs")"
}

# print_medians [NUMERATOR/DENOMINATOR...]: every label's median requests/s and p99 over its runs
# in $WORK/runs, then the ratio of the two labels' median requests/s for each pair given.
print_medians() {
	python3 - "$WORK/runs" "$@" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    label, rate, p99, errors = line.split()
    runs.setdefault(label, []).append((float(rate), float(p99), int(errors)))
median = {label: (statistics.median(r for r, _, _ in v), statistics.median(p for _, p, _ in v), sum(e for _, _, e in v))
          for label, v in runs.items()}
print(f"{'run':<28} {'req/s':>9} {'p99 ms':>9} {'non-2xx':>8}  every run (req/s)")
for label, (rate, p99, errors) in median.items():
    print(f"{label:<28} {rate:>9,.1f} {p99:>9.2f} {errors:>8}  " + ", ".join(f"{r:,.1f}" for r, _, _ in runs[label]))
for pair in sys.argv[2:]:
    numerator, denominator = pair.split("/")
    print(f"{numerator} / {denominator}: {median[numerator][0] / median[denominator][0]:.2f}")
EOF
}
