#!/usr/bin/env bash
# Benchmarks the packaged service with wrk on loopback, one JDK after the other, and prints a table
# (requests/s, p50, p99, errors per endpoint; ratios to the no-op and BCrypt ceilings; start-up time;
# RSS idle and after load). Writes bench/results/<date>-<jdk>.{md,json,csv} and, for all JDKs of the
# invocation, bench/results/latest.md and latest.svg. See bench/README.md.
#
# Usage: bench/run.sh            (everything from the environment; all optional)
#   BENCH_JDKS         java executables to run on, space-separated (default: $JAVA_HOME/bin/java or
#                      java, plus /usr/lib/jvm/temurin-25-jdk-amd64/bin/java when it exists)
#   BENCH_JAVA_OPTS    JVM options of the server (default: the documented ones, DOCUMENTED_JAVA_OPTS in common.sh)
#   BENCH_APP_ARGS     extra arguments of the service, e.g. --password.algorithm=argon2id
#   BENCH_TAG          word added to the result file names, e.g. argon2id
#   BENCH_WARMUP       seconds of warm-up of the CPU-bound endpoints, after 10 s of all together (default 30)
#   BENCH_DURATION     seconds of each measured run (default 20)
#   BENCH_ROUNDS       rounds of the token_status, no-op and starvation runs; medians reported (default 3)
#   BENCH_USERS        users seeded (default 200)
#   BENCH_TOKENS       tokens in the pool the token_status runs rotate through (default 1000)
#   BENCH_SEED_CONCURRENCY  parallel requests while seeding (default 8)
#   BENCH_BCRYPT_COST  BCrypt cost of the server and the ceiling measurement (default 10)
#   BENCH_BCRYPT_SECONDS    seconds of each BCrypt ceiling measurement (default 10)
#   BENCH_STARTS       start-ups timed for each form, the plain jar and scripts/fast-start.sh's (default 3)
#   BENCH_WRK_TIMEOUT  wrk's request timeout (default 15s, above the service's 10 s hashing queue wait)
#   BENCH_JAR          the jar (default: target/token-service-*.jar, built when missing)
#   BENCH_RESULTS      where results go (default: bench/results)
#   BENCH_KEEP=1       keep the temporary directories (server log, data, seeded users and tokens)
# Exits non-zero when a step fails (build, wrk, start-up, seeding); errors under load are reported,
# not fatal.
set -u -o pipefail

BENCH_DIR="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$BENCH_DIR")"
cd "$ROOT"

WARMUP="${BENCH_WARMUP:-30}"
DURATION="${BENCH_DURATION:-20}"
ROUNDS="${BENCH_ROUNDS:-3}"
ROUND=1
USERS="${BENCH_USERS:-200}"
TOKENS="${BENCH_TOKENS:-1000}"
SEED_CONCURRENCY="${BENCH_SEED_CONCURRENCY:-8}"
COST="${BENCH_BCRYPT_COST:-10}"
BCRYPT_SECONDS="${BENCH_BCRYPT_SECONDS:-10}"
STARTS="${BENCH_STARTS:-3}"
WRK_TIMEOUT="${BENCH_WRK_TIMEOUT:-15s}"
APP_ARGS="${BENCH_APP_ARGS:-}"
TAG="${BENCH_TAG:+-$BENCH_TAG}"
RESULTS="${BENCH_RESULTS:-$BENCH_DIR/results}"
CORES="$(nproc)"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# --- what this invocation started, and only that, is stopped on exit -------------------------
WORKS=()
SERVER_PID=""
BACKGROUND_PIDS=()
cleanup() {
	for pid in "${BACKGROUND_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -TERM "$SERVER_PID" 2>/dev/null
		for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
		kill -KILL "$SERVER_PID" 2>/dev/null
	fi
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		[ "${#WORKS[@]}" -gt 0 ] && log "kept ${WORKS[*]}"
	else
		for w in "${WORKS[@]}"; do rm -rf "$w"; done
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. the jar, wrk and the JDKs -----------------------------------------------------------
# shellcheck source=bench/common.sh
source "$BENCH_DIR/common.sh"
find_or_build_jar
need_wrk
pick_jdks
WRK_VERSION="$(wrk --version 2>&1 | head -n 1 | awk '{print $1, $2}')"
command -v curl >/dev/null || die "curl is needed"
command -v python3 >/dev/null || die "python3 is needed"

mkdir -p "$RESULTS"
STAMP="$(date -u +%Y-%m-%d-%H%M)"
COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
git -C "$ROOT" diff --quiet HEAD 2>/dev/null || [ "$COMMIT" = unknown ] || COMMIT="$COMMIT+changes"
CPU_MODEL="$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)"
MEM_TOTAL="$(awk '/^MemTotal/{printf "%.0f GB RAM", $2 / 1048576}' /proc/meminfo)"
CLK_TCK="$(getconf CLK_TCK)"
RESULT_FILES=()

status_of() { curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$@"; }
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $12 + $13}'; }

# bench_one JAVA: the whole run on one JDK.
bench_one() {
	local java="$1"
	command -v "$java" >/dev/null || die "no java at $java"
	local version vendor major label
	version="$(java_property "$java" java.version)"
	vendor="$(java_property "$java" java.vm.vendor)"
	major="${version%%.*}"
	label="jdk${major}"
	local work
	work="$(mktemp -d /tmp/token-bench.XXXXXX)"
	WORKS+=("$work")
	mkdir -p "$work/lib" "$work/out"
	local meta="$work/meta.tsv" runs="$work/runs.jsonl"
	: >"$runs"
	put() { printf '%s\t%s\n' "$1" "$2" >>"$meta"; }
	: >"$meta"
	put jdk_label "$label"
	put java "$java"
	put java_version_line "$version, $vendor"
	put java_opts "$JAVA_OPTS_BENCH"
	put app_args "$APP_ARGS"
	put cores "$CORES"
	put cpu "$CPU_MODEL"
	put mem_total "$MEM_TOTAL"
	put kernel "$(uname -r)"
	put wrk_version "$WRK_VERSION"
	put warmup_s "$WARMUP"
	put duration_s "$DURATION"
	put rounds "$ROUNDS"
	put date "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	put commit "$COMMIT"
	put command "BENCH_JDKS=\"$java\" BENCH_JAVA_OPTS=\"$JAVA_OPTS_BENCH\"${APP_ARGS:+ BENCH_APP_ARGS=\"$APP_ARGS\"} BENCH_WARMUP=$WARMUP BENCH_DURATION=$DURATION BENCH_ROUNDS=$ROUNDS BENCH_USERS=$USERS BENCH_TOKENS=$TOKENS bench/run.sh"
	log "=== $label: $java ($version, $vendor), $JAVA_OPTS_BENCH"

	# --- 5. the BCrypt ceiling, on an idle machine before the server starts ---------------------
	python3 - "$JAR" "$work/lib" <<-'EOF' || die "cannot read the jar's BOOT-INF/lib"
		import re, sys, zipfile
		jar = zipfile.ZipFile(sys.argv[1])
		for name in jar.namelist():
		    if re.match(r"BOOT-INF/lib/(spring-security-crypto|commons-logging|spring-jcl)-[^/]*\.jar$", name):
		        open(sys.argv[2] + "/" + name.rsplit("/", 1)[1], "wb").write(jar.read(name))
	EOF
	log "BCrypt ceiling: cost $COST, ${BCRYPT_SECONDS} s on one thread, then ${BCRYPT_SECONDS} s on $CORES"
	local bcrypt
	bcrypt="$("$java" -cp "$work/lib/*" "$BENCH_DIR/BcryptCeiling.java" "$COST" "$BCRYPT_SECONDS" "$CORES" | tail -n 1)" \
		|| die "the BCrypt measurement failed"
	put bcrypt_json "$bcrypt"
	log "BCrypt: $bcrypt"

	# --- 2. start-up: the plain jar, then the extracted jar with its class cache ----------------
	JAVA="$java" JAVA_OPTS="$JAVA_OPTS_BENCH" bash "$ROOT/scripts/fast-start.sh" "$JAR" "$work/app" \
		>"$work/fast-start.txt" 2>&1 || { cat "$work/fast-start.txt" >&2; die "scripts/fast-start.sh failed"; }
	# Its java argument file, and the same without paths for the report.
	local fast_args="@$work/app/java.args" fast_opts
	fast_opts="$(sed 's|=/.*||; s|"||g' "$work/app/java.args" | tr '\n' ' ')"
	local secret admin_password base
	secret="bench-secret-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
	admin_password="Bench-Admin-$RANDOM-$RANDOM-Lantern"
	# start_server NAME JVM-ARGS...: starts the service with a fresh data directory; sets
	# SERVER_PID, base, STARTUP_MS (launch to the first 200 from the liveness probe) and READY_MS
	# (launch to the first 200 from the readiness probe: database checked, the admin created).
	start_server() {
		local name="$1" port t0
		shift
		port="$(free_port)"
		base="http://127.0.0.1:$port"
		mkdir -p "$work/$name"
		STARTUP_MS=""
		t0="$(now_ms)"
		# shellcheck disable=SC2086 # BENCH_JAVA_OPTS and BENCH_APP_ARGS are lists of words
		# Started in its own directory, so no ./config.yml applies, and without the variables the
		# configuration reads (a DATABASE_URL of the calling shell would move the data to PostgreSQL).
		(cd "$work/$name" && exec env -u CONFIG_FILE -u DATABASE_URL -u DATABASE_USERNAME -u DATABASE_PASSWORD \
			-u JWT_SECRET -u ADMIN_USERNAME -u ADMIN_PASSWORD -u PORT -u DATA_DIR "$java" $JAVA_OPTS_BENCH "$@" \
			--server.port="$port" --data.dir="$work/$name/data" \
			--limits.enabled=false --jwt.secret="$secret" --password.bcrypt_cost="$COST" \
			--admin.username=benchadmin --admin.password="$admin_password" $APP_ARGS \
			>"$work/$name/server.log" 2>&1 </dev/null) &
		SERVER_PID=$!
		while [ $(($(now_ms) - t0)) -lt 180000 ]; do
			if [ -z "$STARTUP_MS" ] && [ "$(status_of "$base/actuator/health/liveness")" = 200 ]; then
				STARTUP_MS=$(($(now_ms) - t0))
			fi
			if [ -n "$STARTUP_MS" ] && [ "$(status_of "$base/actuator/health/readiness")" = 200 ]; then
				READY_MS=$(($(now_ms) - t0))
				log "$name: live after $STARTUP_MS ms, ready after $READY_MS ms on port $port (pid $SERVER_PID)"
				return 0
			fi
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.02
		done
		tail -n 40 "$work/$name/server.log" >&2
		die "the server ($name) did not answer 200 on /actuator/health/liveness"
	}
	stop_server() {
		kill -TERM "$SERVER_PID"
		wait "$SERVER_PID"
		local status=$?
		SERVER_PID=""
		return "$status"
	}
	median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
	local plain=() fast=() ready=() i
	for i in $(seq "$STARTS"); do
		start_server "plain-$i" -jar "$JAR"
		plain+=("$STARTUP_MS")
		stop_server
	done
	for i in $(seq "$STARTS"); do
		[ -n "$SERVER_PID" ] && stop_server
		start_server "fast-$i" "$fast_args" -jar "$work/app/$(basename "$JAR")"
		fast+=("$STARTUP_MS")
		ready+=("$READY_MS")
	done
	# The last fast start keeps running: it is the server measured below.
	put startup_plain_ms "$(median "${plain[@]}")"
	put startup_ms "$(median "${fast[@]}")"
	put startup_ready_ms "$(median "${ready[@]}")"
	put startup_runs "plain jar ${plain[*]} ms; extracted with ${fast_opts}${fast[*]} ms (ready ${ready[*]} ms)"
	put startup_cache_opt "${fast_opts% }"
	put spring_started "$(grep -o 'Started [A-Za-z]* in [0-9.]* seconds ([^)]*)' "$work/fast-$STARTS/server.log" | head -n 1)"
	local server_log="$work/fast-$STARTS/server.log"
	sleep 3
	put rss_idle_kb "$(vm_kb "$SERVER_PID" VmRSS)"

	# --- 3. users and tokens --------------------------------------------------------------------
	log "seeding $USERS users and $TOKENS tokens ($SEED_CONCURRENCY in parallel)"
	local seed
	seed="$(python3 "$BENCH_DIR/seed.py" "$base" "$USERS" "$TOKENS" "$SEED_CONCURRENCY" "seed$RANDOM" "$work")" \
		|| { echo "$seed" >&2; tail -n 40 "$server_log" >&2; die "seeding gave no token"; }
	put seed_json "$seed"
	log "seeded: $seed"

	# wrk_run NAME ENDPOINT CONNS SECONDS MODE [ARG]: one measured run, appended to runs.jsonl.
	wrk_run() {
		local name="$1" endpoint="$2" conns="$3" seconds="$4" mode="$5" arg="${6:-}"
		local before after out="$work/out/$name-$ROUND.txt"
		before="$(cpu_ticks "$SERVER_PID")"
		wrk -t1 -c"$conns" -d"${seconds}s" --timeout "$WRK_TIMEOUT" -s "$BENCH_DIR/wrk.lua" "$base" -- "$mode" $arg \
			>"$out" 2>&1
		local rc=$?
		after="$(cpu_ticks "$SERVER_PID")"
		local json
		json="$(sed -n 's/^BENCH_JSON //p' "$out" | tail -n 1)"
		if [ "$rc" != 0 ] || [ -z "$json" ]; then
			cat "$out" >&2
			die "wrk failed for $name"
		fi
		local cpu="null"
		[ -n "$before" ] && [ -n "$after" ] && cpu="$(awk -v a="$before" -v b="$after" -v t="$CLK_TCK" 'BEGIN {printf "%.2f", (b - a) / t}')"
		printf '{"name":"%s","round":%s,"endpoint":"%s","conns":%s,"server_cpu_s":%s,"wrk":%s}\n' \
			"$name" "$ROUND" "$endpoint" "$conns" "$cpu" "$json" >>"$runs"
		log "$(printf '%-46s %3s conns: %s' "$endpoint" "$conns" \
			"$(python3 -c 'import json,sys; w=json.loads(sys.argv[1]); e=w["errors"]; print("%.1f req/s, p50 %.2f ms, p99 %.2f ms, errors %d" % (w["requests"]/(w["duration_us"]/1e6), w["latency_us"]["p50"]/1e3, w["latency_us"]["p99"]/1e3, sum(e.values())), w["statuses"] or "")' "$json")")"
	}
	# wrk_background SECONDS CONNS MODE ARG OUT: a second load generator; its pid in LAST_BG.
	wrk_background() {
		wrk -t1 -c"$2" -d"${1}s" --timeout "$WRK_TIMEOUT" -s "$BENCH_DIR/wrk.lua" "$base" -- "$3" "$4" >"$5" 2>&1 &
		LAST_BG=$!
		BACKGROUND_PIDS+=("$LAST_BG")
	}

	# starvation_run CONNS NAME BG_NAME WHILE: token_status while a second wrk keeps /token
	# saturated with CONNS connections. 32 is the starvation check; 300 is a flood, more logins
	# than the hashing queue holds (password.hashing_queue, 128), which must not take every
	# request thread.
	starvation_run() {
		local conns="$1" name="$2" bg_name="$3" while="$4"
		local bg_out="$work/out/$bg_name-$ROUND.txt" bg bg_json
		wrk_background $((DURATION + 4)) "$conns" token "$work/users.txt" "$bg_out"
		bg="$LAST_BG"
		sleep 2
		wrk_run "$name" "GET /token_status/{token} while $while" 64 "$DURATION" status_path "$work/tokens.txt"
		wait "$bg"
		BACKGROUND_PIDS=()
		bg_json="$(sed -n 's/^BENCH_JSON //p' "$bg_out" | tail -n 1)"
		[ -n "$bg_json" ] || { cat "$bg_out" >&2; die "the background wrk on /token failed"; }
		printf '{"name":"%s","round":%s,"endpoint":"POST /token (the saturating load)","conns":%s,"server_cpu_s":null,"wrk":%s}\n' \
			"$bg_name" "$ROUND" "$conns" "$bg_json" >>"$runs"
	}

	# --- 4. warm-up -----------------------------------------------------------------------------
	# Every measured endpoint for 10 s, so the JIT sees them all, then the CPU-bound ones alone for
	# BENCH_WARMUP seconds: beside the logins' hashing they would get a third of the CPU and still be
	# compiling in the measured runs.
	local warm=() hashing_seconds=10
	local cpu_seconds=$((hashing_seconds + WARMUP))
	log "warm-up: ${hashing_seconds} s of all endpoints together, then ${WARMUP} s of the CPU-bound ones"
	wrk_background "$hashing_seconds" 8 token "$work/users.txt" "$work/out/warm-token.txt"; warm+=("$LAST_BG")
	wrk_background "$hashing_seconds" 2 register "warm$RANDOM" "$work/out/warm-register.txt"; warm+=("$LAST_BG")
	wrk_background "$cpu_seconds" 4 noop "" "$work/out/warm-noop.txt"; warm+=("$LAST_BG")
	wrk_background "$cpu_seconds" 4 liveness "" "$work/out/warm-liveness.txt"; warm+=("$LAST_BG")
	wrk_background "$cpu_seconds" 28 status_path "$work/tokens.txt" "$work/out/warm-path.txt"; warm+=("$LAST_BG")
	wrk_background "$cpu_seconds" 28 status_bearer "$work/tokens.txt" "$work/out/warm-bearer.txt"; warm+=("$LAST_BG")
	for pid in "${warm[@]}"; do wait "$pid"; done
	BACKGROUND_PIDS=()
	log "warm-up done: $(cat "$work"/out/warm-*.txt | sed -n 's/^BENCH_JSON //p' | python3 -c 'import json,sys; r=[json.loads(l) for l in sys.stdin]; print("%d requests, %d errors" % (sum(x["requests"] for x in r), sum(sum(x["errors"].values()) for x in r)))')"
	sleep 2

	# --- 5. the measured runs -------------------------------------------------------------------
	# The CPU-bound runs vary most (the JIT is still at work after the warm-up on two cores), so
	# they are repeated in rounds and the report gives each one's median; the BCrypt-bound ones,
	# which the ceiling fixes, run once.
	for ROUND in $(seq "$ROUNDS"); do
		log "round $ROUND of $ROUNDS"
		wrk_run noop "OPTIONS /token_status (no-op)" 64 "$DURATION" noop
		sleep 1
		wrk_run status_path "GET /token_status/{token}" 64 "$DURATION" status_path "$work/tokens.txt"
		sleep 1
		wrk_run status_bearer "GET /token_status (Bearer)" 64 "$DURATION" status_bearer "$work/tokens.txt"
		sleep 1
		starvation_run 32 status_under_token token_background "/token saturated"
		sleep 2
	done
	ROUND=1
	wrk_run liveness "GET /actuator/health/liveness" 64 "$DURATION" liveness
	sleep 1
	wrk_run token_8 "POST /token" 8 "$DURATION" token "$work/users.txt"
	sleep 2
	wrk_run token_32 "POST /token" 32 "$DURATION" token "$work/users.txt"
	sleep 3
	wrk_run register_8 "POST /register-user" 8 "$DURATION" register "reg$RANDOM"

	# --- 6. after load: RSS, the server's own count of responses, stop --------------------------
	sleep 2
	put rss_after_kb "$(vm_kb "$SERVER_PID" VmRSS)"
	put rss_peak_kb "$(vm_kb "$SERVER_PID" VmHWM)"
	# The flood after the RSS reading, so that stays comparable with earlier runs: it grows Tomcat
	# to its 200 request threads.
	starvation_run 300 status_under_flood token_flood "300 connections flood /token"
	local admin_token
	admin_token="$(curl -s --max-time 30 -X POST "$base/token" -H 'Content-Type: application/json' \
		-d "{\"username\":\"benchadmin\",\"password\":\"$admin_password\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')"
	if [ -n "$admin_token" ]; then
		curl -s --max-time 30 -H "Authorization: Bearer $admin_token" "$base/actuator/prometheus" >"$work/prometheus.txt"
		put prometheus_file "$work/prometheus.txt"
	else
		log "could not log in as the bootstrap admin: no server-side status counts"
	fi
	local t_stop exit_status=0
	t_stop="$(now_ms)"
	stop_server || exit_status=$?
	put stop_ms "$(($(now_ms) - t_stop))"
	put exit_status "$exit_status"
	put log_warn "$(grep -c ' WARN ' "$server_log")"
	put log_error "$(grep -c ' ERROR ' "$server_log")"
	# The distinct WARN and ERROR messages, most frequent first, without time, pid and thread.
	grep -E '^[0-9TZ:.+-]+ +(WARN|ERROR) ' "$server_log" \
		| sed -E 's/^[^ ]+ +(WARN|ERROR) [0-9]+ --- (\[[^]]*\] *)*/\1 /' | cut -c 1-240 \
		| sort | uniq -c | sort -rn | head -n 8 >"$work/log-problems.txt"
	put log_problems_file "$work/log-problems.txt"

	# --- 7. the table and the files -------------------------------------------------------------
	local prefix="$RESULTS/$STAMP-$label$TAG"
	python3 "$BENCH_DIR/report.py" run "$meta" "$runs" "$prefix" || die "report.py failed"
	RESULT_FILES+=("$prefix.json")
	log "wrote $prefix.md, .json, .csv"
}

for java in "${JDKS[@]}"; do
	bench_one "$java"
done
python3 "$BENCH_DIR/report.py" summary "$RESULTS" "${RESULT_FILES[@]}" || die "report.py summary failed"
