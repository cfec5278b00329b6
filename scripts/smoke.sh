#!/usr/bin/env bash
# Smoke test of a running token service: walks through the HTTP contract (shared/API.md)
# with curl only. Usage: scripts/smoke.sh [BASE_URL]   (default http://localhost:8001)
# Prints one "PASS name" / "FAIL name (...)" line per step and a final "N passed, M failed" line;
# exits 0 only if every step passed. Each run registers a new user with a unique name.
# SMOKE_MAX_TIME (default 15) is the per-request curl --max-time in seconds.
# With ADMIN_PASSWORD (and ADMIN_USERNAME, default admin) set to the service's bootstrap admin, it
# also walks through administration: disable the user and watch their token turn invalid, enable,
# revoke, introspect, log out everywhere. Without them those steps are skipped, and say so.
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
USER_ID=$(printf '%s' "$BODY" | sed -n 's/.*"user_id":\([0-9]*\).*/\1/p')

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

# 11. Password guessing is throttled: 20 wrong passwords for one username from one address, then 429.
GUESSED="guessed-${RANDOM}-$$"
for _ in $(seq 20); do
	request -X POST "$BASE_URL/token" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$GUESSED\",\"password\":\"guess-$RANDOM\"}"
done
request -X POST "$BASE_URL/token" -H 'Content-Type: application/json' -D - \
	-d "{\"username\":\"$GUESSED\",\"password\":\"guess-$RANDOM\"}"
case "$BODY" in
*[Rr]etry-[Aa]fter:*) check throttled-after-20-failures 429 '"message":"Too many requests"' ;;
*) fail throttled-after-20-failures "429 with Retry-After" ;;
esac

# login USERNAME PASSWORD : prints the token of a login (empty if it failed). Form-encoded, so a
# password with quotes or backslashes (an operator's ADMIN_PASSWORD) arrives as it is.
login() {
	curl -sS --max-time "$MAX_TIME" -X POST "$BASE_URL/token" --data-urlencode grant_type=password \
		--data-urlencode "username=$1" --data-urlencode "password=$2" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}

if [ -z "${ADMIN_PASSWORD:-}" ]; then
	echo "SKIP admin walk-through: set ADMIN_PASSWORD (and ADMIN_USERNAME) to the service's bootstrap admin"
else
	ADMIN_TOKEN=$(login "${ADMIN_USERNAME:-admin}" "$ADMIN_PASSWORD")
	AUTH_ADMIN="Authorization: Bearer $ADMIN_TOKEN"

	# 12. The user reads their own record; the admin list is not for them.
	request "$BASE_URL/me" -H "Authorization: Bearer $TOKEN"
	check me 200 "\"username\":\"$USERNAME\"" '"roles":["user"]'
	request "$BASE_URL/users" -H "Authorization: Bearer $TOKEN"
	check users-as-user-403 403 '"message":"Forbidden"'
	request "$BASE_URL/users?size=5" -H "$AUTH_ADMIN"
	check users-as-admin 200 '"users":[' '"total":'

	# 13. The admin disables the user: their token turns invalid at once, and login is refused.
	request -X PUT "$BASE_URL/toggle-user-permission/$USER_ID/0" -H "$AUTH_ADMIN"
	check disable-user 200 '"message":"User permission updated successfully"'
	request "$BASE_URL/token_status/$TOKEN"
	check token-of-disabled-user-401 401 '"message":"Invalid token"'
	request -X POST "$BASE_URL/token" -H 'Content-Type: application/json' \
		-d "{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}"
	check login-of-disabled-user-403 403 '"message":"User is disabled"'

	# 14. Enabled again, the same (unrevoked) token is valid again.
	request -X PUT "$BASE_URL/toggle-user-permission/$USER_ID/1" -H "$AUTH_ADMIN"
	check enable-user 200 '"message":"User permission updated successfully"'
	request "$BASE_URL/token_status/$TOKEN"
	check token-after-enable-200 200 '"message":"Token is valid"'

	# 15. Introspection (RFC 7662) by the admin, then revocation (RFC 7009) by the user.
	request -X POST "$BASE_URL/introspect" -H "$AUTH_ADMIN" --data-urlencode "token=$TOKEN"
	check introspect-active 200 '"active":true' "\"username\":\"$USERNAME\""
	request -X POST "$BASE_URL/revoke" -H "Authorization: Bearer $TOKEN" --data-urlencode "token=$TOKEN"
	check revoke 200 '{}'
	request "$BASE_URL/token_status/$TOKEN"
	check token-after-revoke-401 401 '"message":"Invalid token"'
	request -X POST "$BASE_URL/introspect" -H "$AUTH_ADMIN" --data-urlencode "token=$TOKEN"
	check introspect-revoked-inactive 200 '"active":false'

	# 16. Log out everywhere: older tokens die, a new login works.
	OLDER=$(login "$USERNAME" "$PASSWORD")
	request -X POST "$BASE_URL/logout-all" -H "Authorization: Bearer $OLDER"
	check logout-all 200 '"message":"Logged out everywhere"'
	request "$BASE_URL/token_status/$OLDER"
	check token-after-logout-all-401 401 '"message":"Invalid token"'
	request "$BASE_URL/token_status/$(login "$USERNAME" "$PASSWORD")"
	check token-after-new-login-200 200 '"message":"Token is valid"'
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
