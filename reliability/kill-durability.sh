#!/usr/bin/env bash
# Durability under kill -9. Usage: reliability/kill-durability.sh [h2|postgresql|both] [rounds=20]
# Each round: start the packaged jar on the same data (H2 directory, or one new PostgreSQL database
# dropped at exit), check that every user of the previous round that got a 201 logs in (200), then
# register users from DURABILITY_CLIENTS (8) concurrent clients and kill -9 the server at a random
# moment 0-2 s after the first MIN_USERS (20) registrations succeeded (so every round writes, however
# slow the machine). After the last round every user of every round must still log in.
# Limits are off and BCrypt runs at cost 4 so that many writes are in flight when the kill comes:
# what is tested is the commit, not the hash. Prints per-round counts and totals, PASS/FAIL; exits
# non-zero on any lost user.
source "$(dirname "$0")/lib.sh"

KINDS="$(databases "${1:-both}")"
ROUNDS="${2:-20}"
CLIENTS="${DURABILITY_CLIENTS:-8}"
MIN_USERS=20
SERVER_ARGS=(--limits.enabled=false --password.bcrypt_cost=4)

# verify FILE WHAT: every user in FILE logs in on the running server.
verify() {
	local result
	result="$("${CLIENT[@]}" login "$BASE" "$1" --clients "$CLIENTS" || true)"
	echo "$result" | sed 's/^/    /'
	check "$2" "$(echo "$result" | sed -n 's/^logins: \([0-9]*\) of \([0-9]*\) users.*/\1 of \2/p')" \
		"$(wc -l <"$1" | tr -d ' ') of $(wc -l <"$1" | tr -d ' ')"
}

for kind in $KINDS; do
	echo "== kill -9 durability on $kind, $ROUNDS rounds, $CLIENTS concurrent clients"
	use_database "$kind"
	data="$WORK/$kind-data"
	all="$WORK/$kind-all-users"
	: >"$all"
	previous=""
	for round in $(seq "$ROUNDS"); do
		start_server "$data" "${SERVER_ARGS[@]}"
		echo "  round $round: started in ${START_MS} ms"
		if [ -n "$previous" ]; then
			verify "$previous" "$kind round $((round - 1)): every 201 survives kill -9 and restart"
		fi
		users="$WORK/$kind-round-$round"
		: >"$users"
		"${CLIENT[@]}" register "$BASE" "$users" --clients "$CLIENTS" >"$WORK/register.out" &
		load=$!
		load_started="$(now_ms)"
		while [ "$(wc -l <"$users")" -lt "$MIN_USERS" ] && kill -0 "$load" 2>/dev/null; do
			sleep 0.05
		done
		delay_ms=$((RANDOM % 2000))
		sleep "$((delay_ms / 1000)).$(printf '%03d' $((delay_ms % 1000)))"
		kill_server
		wait "$load" || true
		echo "  round $round: kill -9 after $(($(now_ms) - load_started)) ms of load; $(cat "$WORK/register.out")"
		cat "$users" >>"$all"
		previous="$users"
	done
	start_server "$data" "${SERVER_ARGS[@]}"
	echo "  final start: ${START_MS} ms"
	verify "$previous" "$kind round $ROUNDS: every 201 survives kill -9 and restart"
	verify "$all" "$kind all $ROUNDS rounds: every user that got a 201 logs in at the end"
	stop_server
	echo "  total on $kind: $(wc -l <"$all" | tr -d ' ') users got 201 over $ROUNDS kill -9 rounds"
done
finish
