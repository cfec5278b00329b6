#!/usr/bin/env bash
# Races. Usage: reliability/races.sh [h2|postgresql|both]
# On a fresh H2 directory and on a new PostgreSQL database (dropped at exit), against the packaged
# jar: 100 concurrent registrations of one username give exactly one 201 and 99 409; then 100
# concurrent logins of that user all give 200. The default limits would refuse both bursts from one
# address (registrations_per_address is 20 per hour, and a login holds a place among the 20 of
# failed_logins_per_user_and_address until its password is checked), so the server starts with those
# capacities raised to 1000. BCrypt runs at cost 4: at the default cost the hashing queue (one hash
# per core) spaces the requests out by a hash each, so they would reach the database one by one; at
# cost 4 they arrive together, which is the race under test. Prints the status counts and PASS/FAIL.
source "$(dirname "$0")/lib.sh"

KINDS="$(databases "${1:-both}")"
COUNT="${RACE_COUNT:-100}"
SERVER_ARGS=(--limits.registrations_per_address.capacity=1000
	--limits.failed_logins_per_user_and_address.capacity=1000
	--limits.failed_logins_per_user.capacity=1000 --password.bcrypt_cost=4)

for kind in $KINDS; do
	echo "== races on $kind"
	use_database "$kind"
	start_server "$WORK/$kind-data" "${SERVER_ARGS[@]}"
	echo "  started in ${START_MS} ms"
	if "${CLIENT[@]}" race "$BASE" --count "$COUNT" >"$WORK/race.out"; then result=0; else result=1; fi
	sed "s/^\(PASS\|FAIL\) /\1 $kind: /" "$WORK/race.out"
	passed=$((passed + $(grep -c '^PASS' "$WORK/race.out" || true)))
	fails="$(grep -c '^FAIL' "$WORK/race.out" || true)"
	# A client that broke down without a verdict counts as one failure.
	failed=$((failed + (fails > 0 ? fails : result)))
	stop_server
done
finish
