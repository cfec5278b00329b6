#!/usr/bin/env bash
# Smoke test of a running token service: walks through the HTTP contract (shared/API.md)
# with curl only. Usage: scripts/smoke.sh [BASE_URL]   (default http://localhost:8001)
# Prints one "PASS name" / "FAIL name (...)" line per step and a final "N passed, M failed" line;
# exits 0 only if every step passed. Each run registers a new user with a unique name.
# SMOKE_MAX_TIME (default 15) is the per-request curl --max-time in seconds.
set -u

BASE_URL="${1:-http://localhost:8001}"
BASE_URL="${BASE_URL%/}"
MAX_TIME="${SMOKE_MAX_TIME:-15}"

USERNAME="smoke-${RANDOM}-$$"
PASSWORD="smoke-pass-${RANDOM}-$$"
EMAIL="${USERNAME}@example.com"

passed=0
failed=0
STATUS=""
CTYPE=""
BODY=""

# request ARGS... : runs curl and sets STATUS (HTTP code, 000 if no answer), CTYPE and BODY.
request() {
	local out meta
	out=$(curl -sS --max-time "$MAX_TIME" -w '\n%{http_code} %{content_type}' "$@" 2>&1)
	meta="${out##*$'\n'}"
	BODY="${out%$'\n'*}"
	STATUS="${meta%% *}"
	CTYPE="${meta#* }"
}

pass() {
	echo "PASS $1"
	passed=$((passed + 1))
}

fail() {
	local body
	body=$(printf '%s' "$BODY" | tr '\r\n\t' '   ' | tr -s ' ' | cut -c1-300)
	echo "FAIL $1 (expected $2, got $STATUS: $body)"
	failed=$((failed + 1))
}

# check NAME EXPECTED_STATUS [TEXT...] : the step passes if the status matches and the body
# contains every TEXT.
check() {
	local name="$1" expected="$2" text
	shift 2
	if [ "$STATUS" != "$expected" ]; then
		fail "$name" "$expected"
		return
	fi
	for text in "$@"; do
		case "$BODY" in
		*"$text"*) ;;
		*)
			fail "$name" "$expected with $text"
			return
			;;
		esac
	done
	pass "$name"
}

# 1. Register a fresh user.
request -X POST "$BASE_URL/register-user" -H 'Content-Type: application/json' \
	-d "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\",\"email\":\"$EMAIL\"}"
check register 201 '"message":"User created successfully"' '"user_id":'

# 2. The same username again.
request -X POST "$BASE_URL/register-user" -H 'Content-Type: application/json' \
	-d "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\",\"email\":\"$EMAIL\"}"
check register-duplicate 409 '"message":"User already exists"' '"user_id":'

# 3. Token with a wrong password (JSON style).
request -X POST "$BASE_URL/token" -H 'Content-Type: application/json' \
	-d "{\"username\":\"$USERNAME\",\"password\":\"wrong-$PASSWORD\"}"
check token-wrong-password 401 '"message":"Invalid credentials"'

# 4. Token, JSON style.
request -X POST "$BASE_URL/token" -H 'Content-Type: application/json' \
	-d "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}"
TOKEN=$(printf '%s' "$BODY" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
if [ "$STATUS" = 200 ] && [ -z "$TOKEN" ]; then
	fail token-json "200 with a token"
else
	check token-json 200 '"token_type":"bearer"' '"expires_in":'
fi

# 5. Token, OAuth 2.0 password grant (form style).
request -X POST "$BASE_URL/token" \
	--data-urlencode grant_type=password --data-urlencode "username=$USERNAME" \
	--data-urlencode "password=$PASSWORD"
check token-form 200 '"access_token":"' '"token_type":"bearer"'

# 6. OAuth 2.0 style with a wrong password.
request -X POST "$BASE_URL/token" \
	--data-urlencode grant_type=password --data-urlencode "username=$USERNAME" \
	--data-urlencode "password=wrong-$PASSWORD"
check token-form-invalid-grant 400 '"error":"invalid_grant"'

# 7. Status of the token from step 4, in the path.
request "$BASE_URL/token_status/$TOKEN"
check token-status-valid 200 '"message":"Token is valid"' "\"username\":\"$USERNAME\""

# 8. The same token with its last character removed.
request "$BASE_URL/token_status/${TOKEN%?}"
if [ -z "$TOKEN" ]; then
	fail token-status-truncated "401 for a truncated token, but token-json gave no token"
else
	check token-status-truncated 401 '"message":"Invalid token"'
fi

# 9. Status with the token in an Authorization: Bearer header.
request "$BASE_URL/token_status" -H "Authorization: Bearer $TOKEN"
check token-status-bearer 200 '"message":"Token is valid"'

# 10. An unknown path: a JSON 404, not an HTML page.
request "$BASE_URL/no-such-path-$$"
case "$CTYPE" in
application/json*) check unknown-path-404 404 '"message":' ;;
*) fail unknown-path-404 "404 application/json (content type was '$CTYPE')" ;;
esac

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
