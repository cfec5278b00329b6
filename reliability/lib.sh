# Sourced by the reliability scripts: finds (or builds) the jar, starts, stops and kills the service,
# makes and drops PostgreSQL databases, counts PASS/FAIL. Whatever a script started or created (the
# server, its temporary directory, its databases, a tmpfs mount) is removed on exit, however it ends.
set -euo pipefail

REL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$REL_DIR")"
CLIENT=(python3 "$REL_DIR/client.py")
START_TIMEOUT="${START_TIMEOUT:-180}"
# JVM options of the service. By default C1 only: the scripts restart the service often, C1 alone
# starts it about twice as fast on 2 cores, and nothing checked here depends on the JIT.
read -r -a JAVA_OPTS_REL <<<"${RELIABILITY_JAVA_OPTS:--XX:TieredStopAtLevel=1}"
WORK="$(mktemp -d)"
SERVER_PID=""
DATABASE=""
MOUNT=""
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/checks.sh"

cleanup() {
	# Load clients still running (an interrupted soak's or kill-durability's).
	local clients
	clients="$(jobs -p)"
	if [ -n "$clients" ]; then
		# shellcheck disable=SC2086 # one PID per word
		kill $clients 2>/dev/null || true
	fi
	if [ -n "$SERVER_PID" ]; then
		kill -9 "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	drop_database
	if [ -n "$MOUNT" ]; then
		umount "$MOUNT" || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -z "${JAR:-}" ]; then
	shopt -s nullglob
	jars=("$ROOT"/target/token-service-*.jar)
	if [ "${#jars[@]}" -eq 0 ]; then
		echo "No jar in target/: building it with ./mvnw -B -q package -DskipTests"
		(cd "$ROOT" && ./mvnw -B -q package -DskipTests)
		jars=("$ROOT"/target/token-service-*.jar)
	fi
	shopt -u nullglob
	JAR="${jars[0]}"
fi
JAR="$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")"

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# use_database h2|postgresql: the database the next start_server uses. For PostgreSQL a new
# database of its own (PGHOST 127.0.0.1, PGPORT 5432, PGUSER postgres), dropped by drop_database.
use_database() {
	drop_database
	unset DATABASE_URL DATABASE_USERNAME DATABASE_PASSWORD
	case "$1" in
	h2) ;;
	postgresql)
		export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
		DATABASE="ts_reliability_$$_${RANDOM}"
		psql -q -d postgres -c "CREATE DATABASE $DATABASE"
		export DATABASE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DATABASE" DATABASE_USERNAME="$PGUSER"
		export DATABASE_PASSWORD="${PGPASSWORD:-}"
		;;
	*)
		echo "Unknown database '$1': h2 or postgresql" >&2
		exit 2
		;;
	esac
}

drop_database() {
	if [ -n "$DATABASE" ]; then
		psql -q -d postgres -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" >/dev/null || true
		DATABASE=""
	fi
}

# databases ARG: the database kinds a script runs on; "both" (the default) means H2 then PostgreSQL.
databases() {
	case "${1:-both}" in
	both) echo "h2 postgresql" ;;
	h2 | postgresql) echo "$1" ;;
	*)
		echo "Unknown database '$1': h2, postgresql or both" >&2
		exit 2
		;;
	esac
}

# start_server DATA_DIR [ARGS...]: starts the jar on a free port (H2 data in DATA_DIR, or the database
# of use_database), waits until readiness answers 200 and sets SERVER_PID, BASE and START_MS (how
# long that took). The log goes to $WORK/server.log.
start_server() {
	local data_dir="$1" port started code
	shift
	port="$(free_port)"
	BASE="http://127.0.0.1:$port"
	started="$(now_ms)"
	(cd "$WORK" && exec java "${JAVA_OPTS_REL[@]}" -jar "$JAR" --server.port="$port" --data.dir="$data_dir" "$@" \
		>>"$WORK/server.log" 2>&1 </dev/null) &
	SERVER_PID=$!
	while [ $(($(now_ms) - started)) -lt $((START_TIMEOUT * 1000)) ]; do
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			break
		fi
		code="$(curl -s -o /dev/null --max-time 2 -w '%{http_code}' "$BASE/actuator/health/readiness" || true)"
		if [ "$code" = 200 ]; then
			START_MS=$(($(now_ms) - started))
			return 0
		fi
		sleep 0.2
	done
	echo "FAIL the service did not become ready within ${START_TIMEOUT} s; last lines of its log:"
	tail -n 40 "$WORK/server.log"
	exit 1
}

kill_server() {
	kill -9 "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=""
}

# stop_server: SIGTERM (graceful shutdown), SIGKILL if still running after 30 s.
stop_server() {
	kill "$SERVER_PID" 2>/dev/null || true
	for _ in $(seq 150); do
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.2
	done
	kill_server 2>/dev/null || true
}

