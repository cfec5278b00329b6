#!/usr/bin/env bash
# Soak. Usage: reliability/soak.sh [minutes=10]
# Starts the packaged jar (H2, -Xmx256m, C2 as in production) and runs SOAK_CLIENTS (8) clients of
# mixed traffic for the given minutes: register, POST /token JSON and form, GET /token_status by path
# and by Bearer header, GET /me, POST /introspect (admin bearer), POST /revoke and the revoked token's
# 401, DELETE /remove-user (admin) at the end of each user's life. Checks: zero 5xx and no answer other than the contract's; the heap after a full GC in the last
# minute is at most HEAP_TOLERANCE_PERCENT (10) % above the one in the first minute (each the least of
# 4 full GCs in a window of about 12 s; see README.md for why 10 %), after 10,000 tokens were issued and
# checked to fill the service's remembered-token cache. Limits stay on
# with capacities raised so one address may send this traffic; BCrypt runs at cost 4 so the time goes
# to the request paths rather than to hashing.
# Soft references are cleared at every GC, so the heap measured is what is strongly held.
RELIABILITY_JAVA_OPTS="${RELIABILITY_JAVA_OPTS:--Xmx256m -XX:SoftRefLRUPolicyMSPerMB=0}"
source "$(dirname "$0")/lib.sh"

MINUTES="${1:-10}"
SECONDS_TOTAL=$((MINUTES * 60))
CLIENTS="${SOAK_CLIENTS:-8}"
TOLERANCE="${HEAP_TOLERANCE_PERCENT:-10}"
SAMPLES=4
REMEMBERED_TOKENS=10000
ADMIN_PASSWORD="Quiet-Lantern-$RANDOM-$RANDOM"

# heap_after_gc HISTOGRAM: KiB of live heap right after a full GC, from the class histogram that
# GC.class_histogram takes in the GC's pause (GC.heap_info a moment later would also count what the
# load allocated meanwhile, tens of MiB); the least of SAMPLES, 2 s apart, as the objects of the
# requests in flight vary. The last histogram goes to the file HISTOGRAM.
heap_after_gc() {
	local least="" used
	for _ in $(seq "$SAMPLES"); do
		jcmd "$SERVER_PID" GC.class_histogram >"$1"
		used=$(($(awk '$1 == "Total" { print $3 }' "$1") / 1024))
		if [ -z "$least" ] || [ "$used" -lt "$least" ]; then least="$used"; fi
		sleep 2
	done
	echo "$least"
}

# grown FIRST LAST: the classes whose live bytes grew most between two histograms, to tell a leak
# from a cache filling up.
grown() {
	python3 - "$1" "$2" <<-'PY'
		import re, sys
		def read(path):
		    sizes = {}
		    for line in open(path):
		        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
		        if m:
		            sizes[m.group(3)] = (int(m.group(1)), int(m.group(2)))
		    return sizes
		first, last = read(sys.argv[1]), read(sys.argv[2])
		growth = sorted(((last[c][1] - first.get(c, (0, 0))[1], c) for c in last), reverse=True)[:10]
		for grew, name in growth:
		    print("    %+9.1f KiB %+9d instances  %s" % (grew / 1024, last[name][0] - first.get(name, (0, 0))[0], name))
	PY
}

start_server "$WORK/data" --password.bcrypt_cost=4 --admin.username=ops --admin.password="$ADMIN_PASSWORD" \
	--limits.registrations_per_address.capacity=100000000 --limits.token_requests_per_address.capacity=100000000
echo "== soak: $MINUTES min, $CLIENTS clients, started in ${START_MS} ms (pid $SERVER_PID)"
# The service remembers up to 10,000 good tokens (a few MiB). They are issued and checked before the
# load, so both heap samples see that cache full, however fast the machine fills it under the load.
if "${CLIENT[@]}" tokens "$BASE" "$REMEMBERED_TOKENS" --clients "$CLIENTS" >"$WORK/tokens.out" 2>&1; then
	filled=ok
else
	filled=failed
fi
sed 's/^/  /' "$WORK/tokens.out"
check "soak: $REMEMBERED_TOKENS tokens issued and checked before the load" "$filled" ok
"${CLIENT[@]}" soak "$BASE" "$SECONDS_TOTAL" --clients "$CLIENTS" --admin "ops:$ADMIN_PASSWORD" \
	>"$WORK/soak.out" 2>&1 &
load=$!
load_started="$(now_ms)"
# sample_at SECONDS: the heap after GC, sampled from SECONDS into the load on; prints the window.
sample_at() {
	local wait_ms=$(($1 * 1000 - ($(now_ms) - load_started)))
	if [ "$wait_ms" -gt 0 ]; then sleep "$((wait_ms / 1000)).$(printf '%03d' $((wait_ms % 1000)))"; fi
	HEAP="$(heap_after_gc "$WORK/histogram-$1")"
	echo "  heap after full GC, least of $SAMPLES in ${1}-$((($(now_ms) - load_started) / 1000)) s: $((HEAP / 1024)) MiB (${HEAP} KiB)"
}
# A sample (with its jcmd JVM) takes about 3 s: the first window ends by 60 s (or at half of a
# shorter run), the last one just before the end.
window=$((SAMPLES * 3))
first_at=$((SECONDS_TOTAL / 2 < 60 ? SECONDS_TOTAL / 2 - window : 60 - window))
last_at=$((SECONDS_TOTAL - 2 - window))
sample_at "$first_at"
first="$HEAP"
sample_at "$last_at"
last="$HEAP"
if wait "$load"; then traffic=ok; else traffic=failed; fi
sed 's/^/  /' "$WORK/soak.out"
check "soak: zero 5xx and only the contract's answers" "$traffic" ok
growth=$(((last - first) * 100 / first))
echo "  heap growth first -> last minute: ${growth} % (tolerance ${TOLERANCE} %); most grown classes:"
grown "$WORK/histogram-$first_at" "$WORK/histogram-$last_at"
check "soak: heap after full GC not growing (${growth} % <= ${TOLERANCE} %)" \
	"$([ "$growth" -le "$TOLERANCE" ] && echo ok || echo "${growth} %")" ok
stop_server
finish
