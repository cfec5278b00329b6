#!/usr/bin/env bash
# Two instances of the packaged jar on one PostgreSQL database behave as one service.
# Usage: scripts/two-instances.sh [JAR]   (default: the one target/token-service-*.jar)
#   JAVA_OPTS  JVM options of both instances, e.g. -Dspring.aot.enabled=true
# Needs curl, python3, psql and a PostgreSQL server: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres),
# PGPASSWORD if the server asks for one. Creates a database of its own and drops it on exit.
# Prints one PASS/FAIL line per check and "N passed, M failed"; exits 0 only if all passed.
set -u

if [ -n "${1:-}" ] && [ -f "$1" ]; then
	JAR="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
fi
cd "$(dirname "$0")/.."
JAR="${JAR:-${1:-$(ls target/token-service-*.jar 2>/dev/null | head -n 1)}}"
if [ -z "$JAR" ] || [ ! -f "$JAR" ]; then
	echo "No jar: build it with ./mvnw package -DskipTests, or pass its path" >&2
	exit 2
fi
JAR="$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
DATABASE="ts_two_instances_$$_${RANDOM}"
WORK="$(mktemp -d)"
PIDS=()
MAX_PROPAGATION_MS=1000

cleanup() {
	for pid in "${PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	psql -q -d postgres -c "DROP DATABASE IF EXISTS $DATABASE WITH (FORCE)" >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

psql -q -d postgres -c "CREATE DATABASE $DATABASE" || { echo "FAILED: cannot create database $DATABASE"; exit 1; }
export DATABASE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$DATABASE" DATABASE_USERNAME="$PGUSER"
export DATABASE_PASSWORD="${PGPASSWORD:-}"
export JWT_SECRET="two-instances-share-this-secret-$RANDOM-$RANDOM"
ADMIN_PASSWORD="Quiet-Lantern-$RANDOM-$RANDOM"

# start NAME: starts one instance in its own working and data directory; sets PORT.
start() {
	local port
	port="$(free_port)"
	PORT="$port"
	mkdir -p "$WORK/$1"
	# shellcheck disable=SC2086 # JAVA_OPTS holds several options
	(cd "$WORK/$1" && exec java ${JAVA_OPTS:-} -jar "$JAR" --server.port="$port" --data.dir="$WORK/$1/data" \
		--admin.username=ops --admin.password="$ADMIN_PASSWORD" \
		--limits.failed_logins_per_user_and_address.capacity=6 >"$WORK/$1.log" 2>&1 </dev/null) &
	PIDS+=($!)
}

wait_until_up() {
	for _ in $(seq 90); do
		curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$1/actuator/health/readiness" \
			&& [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/actuator/health/readiness")" = 200 ] \
			&& return 0
		sleep 1
	done
	echo "FAILED: the instance on port $1 did not become ready"
	tail -n 40 "$WORK"/*.log
	exit 1
}

# One after the other, so the second finds the schema migrated by the first.
start a
A_PORT="$PORT"
wait_until_up "$A_PORT"
start b
B_PORT="$PORT"
wait_until_up "$B_PORT"
A="http://127.0.0.1:$A_PORT"
B="http://127.0.0.1:$B_PORT"
echo "Instance A on $A_PORT, instance B on $B_PORT, database $DATABASE"

source scripts/checks.sh
# Each request gives up after 15 s, so an instance that hangs fails its checks instead of the run.
status() {
	curl -s --max-time 15 -o /dev/null -w '%{http_code}' "$@"
}
# login BASE USERNAME PASSWORD: form-encoded, so any password arrives as it is.
login() {
	curl -s --max-time 15 -X POST "$1/token" --data-urlencode grant_type=password --data-urlencode "username=$2" \
		--data-urlencode "password=$3" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}
# propagation NAME URL EXPECTED: polls URL every 20 ms until it answers EXPECTED; checks that took
# at most MAX_PROPAGATION_MS and prints how long it took.
propagation() {
	local start now code
	start=$(date +%s%N)
	while :; do
		code="$(status "$2")"
		now=$(date +%s%N)
		if [ "$code" = "$3" ] || [ $(((now - start) / 1000000)) -gt $((MAX_PROPAGATION_MS * 3)) ]; then
			break
		fi
		sleep 0.02
	done
	local elapsed=$(((now - start) / 1000000))
	echo "     ($1: $3 after ${elapsed} ms)"
	check "$1" "$([ "$code" = "$3" ] && [ "$elapsed" -le "$MAX_PROPAGATION_MS" ] && echo ok || echo "$code after ${elapsed} ms")" ok
}

USER="shared-$RANDOM"
PASSWORD="Sun-Orchard-$RANDOM-Quill"
USER_ID=$(curl -s -X POST "$A/register-user" -H 'Content-Type: application/json' \
	-d "{\"username\":\"$USER\",\"password\":\"$PASSWORD\",\"email\":\"$USER@example.com\"}" \
	| sed -n 's/.*"user_id":\([0-9]*\).*/\1/p')
check "register on A" "${USER_ID:+yes}" yes
TOKEN=$(login "$B" "$USER" "$PASSWORD")
check "log in on B with the user registered on A" "${TOKEN:+yes}" yes
check "token from B valid on A" "$(status "$A/token_status/$TOKEN")" 200
A_TOKEN=$(login "$A" "$USER" "$PASSWORD")
check "token from A valid on B" "$(status "$B/token_status/$A_TOKEN")" 200

ADMIN_TOKEN=$(login "$A" ops "$ADMIN_PASSWORD")
AUTH="Authorization: Bearer $ADMIN_TOKEN"
curl -s -o /dev/null -X PUT -H "$AUTH" "$A/toggle-user-permission/$USER_ID/0"
propagation "disable on A honoured by B" "$B/token_status/$TOKEN" 401
curl -s -o /dev/null -X PUT -H "$AUTH" "$A/toggle-user-permission/$USER_ID/1"
propagation "enable on A honoured by B" "$B/token_status/$TOKEN" 200

curl -s -o /dev/null -X POST -H "Authorization: Bearer $TOKEN" --data-urlencode "token=$TOKEN" "$A/revoke"
propagation "revocation on A honoured by B" "$B/token_status/$TOKEN" 401

BEFORE=$(login "$A" "$USER" "$PASSWORD")
curl -s -o /dev/null -X POST -H "Authorization: Bearer $BEFORE" "$A/logout-all"
propagation "log-out-everywhere on A honoured by B" "$B/token_status/$BEFORE" 401

BEFORE=$(login "$B" "$USER" "$PASSWORD")
NEW_PASSWORD="Amber-Harbor-$RANDOM-Finch"
curl -s -o /dev/null -X POST -H "Authorization: Bearer $BEFORE" -H 'Content-Type: application/json' \
	-d "{\"current_password\":\"$PASSWORD\",\"new_password\":\"$NEW_PASSWORD\"}" "$A/change-password"
propagation "password change on A honoured by B" "$B/token_status/$BEFORE" 401
check "new password works on B" "$(login "$B" "$USER" "$NEW_PASSWORD" | grep -c .)" 1

LAST=$(login "$B" "$USER" "$NEW_PASSWORD")
curl -s -o /dev/null -X DELETE -H "$AUTH" "$A/remove-user/$USER_ID"
propagation "delete on A honoured by B" "$B/token_status/$LAST" 401

# Throttling is shared: 6 wrong passwords spread over both instances, then both refuse.
GUESSED="guessed-$RANDOM"
for i in 1 2 3 4 5 6; do
	if [ $((i % 2)) -eq 0 ]; then target="$A"; else target="$B"; fi
	status -X POST "$target/token" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$GUESSED\",\"password\":\"wrong-$i\"}" >/dev/null
done
check "limits shared: A throttles after failures spread over A and B" "$(status -X POST "$A/token" \
	-H 'Content-Type: application/json' -d "{\"username\":\"$GUESSED\",\"password\":\"wrong\"}")" 429
check "limits shared: B throttles too" "$(status -X POST "$B/token" \
	-H 'Content-Type: application/json' -d "{\"username\":\"$GUESSED\",\"password\":\"wrong\"}")" 429

finish
