#!/usr/bin/env bash
# Full disk under the embedded H2 database. Usage: reliability/full-disk.sh
# Needs root (or CAP_SYS_ADMIN): the data directory is a 32 MiB tmpfs mounted for the run and
# unmounted at exit. For each kind of write (POST /register-user, POST /change-password, POST /revoke)
# on a service started on that directory: fill the tmpfs to the last byte, then repeat the write until
# it is refused (H2 first fills free pages inside its file, so the first writes may still succeed)
# and check that the refusal is 503 JSON {"message":"Service temporarily unavailable","request_id"}
# with Retry-After, not a 500; check that a token check of another user's token
# (GET /token_status/<token>) still answers 200 while the disk is full; then stop the service, free the space,
# start it again on the same data and check that nothing acknowledged was lost: that token is valid,
# and the password of the last acknowledged change logs in. BCrypt runs at cost 4 and limits are off,
# as only the writes are under test. Prints PASS/FAIL per check and the token checks' answers; exits
# non-zero on any FAIL.
source "$(dirname "$0")/lib.sh"

PASSWORDS=("Reliable-Orchard-42-Quill" "Reliable-Harbor-17-Finch")
MAX_WRITES=500
SERVER_ARGS=(--password.bcrypt_cost=4 --limits.enabled=false)
MOUNT="$WORK/disk"
mkdir -p "$MOUNT"
if ! mount -t tmpfs -o size=32m tmpfs "$MOUNT"; then
	MOUNT=""
	echo "FAIL cannot mount a tmpfs for the data directory: run as root (or with CAP_SYS_ADMIN)"
	exit 1
fi
DATA="$MOUNT/data"
FILLER="$MOUNT/filler"
CHECKER="checker-$RANDOM"
WRITER="writer-$RANDOM"
# The writer's password: index into PASSWORDS, moved only by an acknowledged change.
current=0

# call ARGS...: curl; sets STATUS, BODY and RETRY_AFTER.
call() {
	STATUS="$(curl -s --max-time 30 -D "$WORK/headers" -o "$WORK/body" -w '%{http_code}' "$@" || true)"
	BODY="$(cat "$WORK/body")"
	RETRY_AFTER="$(sed -n 's/^[Rr]etry-[Aa]fter: *\([0-9]*\).*/\1/p' "$WORK/headers")"
}

register() {
	call -X POST "$BASE/register-user" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"${PASSWORDS[0]}\",\"email\":\"$1@example.com\"}"
}

# login USERNAME PASSWORD: prints the token, or nothing.
login() {
	curl -s -X POST "$BASE/token" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$1\",\"password\":\"$2\"}" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}

# write KIND N: the Nth write of that kind, by the writer (logging in does not write).
write() {
	local token
	case "$1" in
	register)
		register "late-$2-$RANDOM"
		;;
	change-password)
		token="$(login "$WRITER" "${PASSWORDS[$current]}")"
		call -X POST "$BASE/change-password" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
			-d "{\"current_password\":\"${PASSWORDS[$current]}\",\"new_password\":\"${PASSWORDS[1 - current]}\"}"
		if [ "$STATUS" = 200 ]; then current=$((1 - current)); fi
		;;
	revoke)
		token="$(login "$WRITER" "${PASSWORDS[$current]}")"
		call -X POST "$BASE/revoke" -H "Authorization: Bearer $token" --data-urlencode "token=$token"
		;;
	esac
}

start_server "$DATA" "${SERVER_ARGS[@]}"
echo "== full disk: data directory on a 32 MiB tmpfs; started in ${START_MS} ms"
register "$CHECKER"
check "register the checker before the disk fills" "$STATUS" 201
register "$WRITER"
check "register the writer before the disk fills" "$STATUS" 201
TOKEN="$(login "$CHECKER" "${PASSWORDS[0]}")"
TOKEN_CHECKS=()
for kind in register change-password revoke; do
	dd if=/dev/zero of="$FILLER" bs=64k 2>/dev/null || true
	accepted=0
	while [ "$accepted" -lt "$MAX_WRITES" ]; do
		write "$kind" "$accepted"
		case "$STATUS" in 2??) accepted=$((accepted + 1)) ;; *) break ;; esac
	done
	echo "  $kind: disk full ($(df -k --output=avail "$MOUNT" | tail -n 1 | tr -d ' ') KiB free);" \
		"$accepted writes fitted into the database file's free pages, then: $STATUS $BODY"
	check "$kind on a full disk: refused with 503" "$STATUS" 503
	check "$kind on a full disk: JSON message and request_id" \
		"$(echo "$BODY" | grep -c '"message":"Service temporarily unavailable","request_id":"')" 1
	check "$kind on a full disk: Retry-After" "${RETRY_AFTER:+present}" present
	call "$BASE/token_status/$TOKEN"
	check "$kind on a full disk: a token check still answers 200" "$STATUS" 200
	TOKEN_CHECKS+=("$STATUS")
	call "$BASE/actuator/health/readiness"
	echo "  readiness meanwhile: $STATUS $BODY"
	stop_server
	rm -f "$FILLER"
	start_server "$DATA" "${SERVER_ARGS[@]}"
	call "$BASE/token_status/$TOKEN"
	check "after $kind: restarted with space freed: the checker's token is valid" "$STATUS" 200
	check "after $kind: restarted with space freed: the writer's last acknowledged password logs in" \
		"$(login "$WRITER" "${PASSWORDS[$current]}" | grep -c . || true)" 1
done
stop_server
echo "Token checks while the disk was full answered: ${TOKEN_CHECKS[*]}"
finish
