-- One wrk script for every endpoint bench/run.sh measures.
--
--   wrk -t1 -c64 -d20s -s bench/wrk.lua http://127.0.0.1:PORT -- MODE [FILE | PREFIX]
--
-- MODE          request                                   FILE / PREFIX
-- noop          OPTIONS /token_status: Spring MVC's own 200 (Allow header), every filter, no controller
-- liveness      GET /actuator/health/liveness
-- status_path   GET /token_status/{token}                 file of tokens, one a line
-- status_bearer GET /token_status, Authorization: Bearer  file of tokens, one a line
-- token         POST /token (JSON)                        file of "username password" lines
-- register      POST /register-user (JSON)                prefix that makes the usernames unique
-- introspect    POST PATH, form token=..., RFC 7662       file of tokens, the Authorization header, PATH
--               (the service's /introspect or Keycloak's)
-- kc_login      POST Keycloak's token endpoint, password grant   file of "username password" lines,
--               (realm "bench", client "bench")                  the client secret
--
-- Requests are built once in init() and only looked up in request(), so every mode costs wrk
-- the same little work per request (the no-op ceiling included). The BCrypt-bound modes (token,
-- register) also count every status code; the fast ones leave response() unset, since it makes
-- wrk parse every response, and rely on wrk's own count of statuses over 399.
-- done() prints one line "BENCH_JSON {...}" for bench/report.py.

local threads = {}

function setup(thread)
	table.insert(threads, thread)
	thread:set("tid", #threads)
end

local FORM = "application/x-www-form-urlencoded"
local requests = {}
local next_index = 1
local mode
local prefix
local counter = 0
statuses = {}

local function lines(path)
	local result = {}
	for line in io.lines(path) do
		if line ~= "" then
			result[#result + 1] = line
		end
	end
	if #result == 0 then
		error("no lines in " .. path)
	end
	return result
end

function init(args)
	mode = args[1]
	if mode == "noop" then
		requests[1] = wrk.format("OPTIONS", "/token_status", {})
	elseif mode == "liveness" then
		requests[1] = wrk.format("GET", "/actuator/health/liveness", {})
	elseif mode == "status_path" then
		for _, token in ipairs(lines(args[2])) do
			requests[#requests + 1] = wrk.format("GET", "/token_status/" .. token, {})
		end
	elseif mode == "status_bearer" then
		for _, token in ipairs(lines(args[2])) do
			requests[#requests + 1] = wrk.format("GET", "/token_status", { Authorization = "Bearer " .. token })
		end
	elseif mode == "token" then
		for _, line in ipairs(lines(args[2])) do
			local username, password = line:match("^(%S+)%s+(%S+)$")
			local body = string.format('{"username":"%s","password":"%s"}', username, password)
			requests[#requests + 1] = wrk.format("POST", "/token", { ["Content-Type"] = "application/json" }, body)
		end
	elseif mode == "register" then
		prefix = (args[2] or "bench") .. "-t" .. tostring(tid or 1) .. "-"
	elseif mode == "introspect" then
		local headers = { Authorization = args[3], ["Content-Type"] = FORM }
		for _, token in ipairs(lines(args[2])) do
			requests[#requests + 1] = wrk.format("POST", args[4], headers, "token=" .. token)
		end
	elseif mode == "kc_login" then
		for _, line in ipairs(lines(args[2])) do
			local username, password = line:match("^(%S+)%s+(%S+)$")
			local body = string.format("grant_type=password&client_id=bench&client_secret=%s&username=%s&password=%s",
				args[3], username, password)
			requests[#requests + 1] = wrk.format("POST", "/realms/bench/protocol/openid-connect/token",
				{ ["Content-Type"] = FORM }, body)
		end
	else
		error("unknown mode " .. tostring(mode))
	end
	-- Threads start at different places in the pool.
	if #requests > 0 then
		next_index = ((tid or 1) - 1) * 7919 % #requests + 1
	end
	if mode ~= "token" and mode ~= "register" and mode ~= "kc_login" then
		response = nil
	end
end

function request()
	if mode == "register" then
		counter = counter + 1
		local username = prefix .. counter
		local body = string.format('{"username":"%s","password":"Sun-Orchard-%d-Quill","email":"%s@example.com"}',
			username, counter, username)
		return wrk.format("POST", "/register-user", { ["Content-Type"] = "application/json" }, body)
	end
	local r = requests[next_index]
	next_index = next_index + 1
	if next_index > #requests then
		next_index = 1
	end
	return r
end

function response(status, headers, body)
	statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, per_thread)
	local counted = {}
	for _, thread in ipairs(threads) do
		local s = thread:get("statuses")
		if s then
			for code, n in pairs(s) do
				counted[tostring(code)] = (counted[tostring(code)] or 0) + n
			end
		end
	end
	local parts = {}
	for code, n in pairs(counted) do
		parts[#parts + 1] = string.format('"%s":%d', code, n)
	end
	local e = summary.errors
	io.write(string.format(
		'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,'
			.. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
			.. '"latency_us":{"min":%d,"mean":%.1f,"stdev":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d},'
			.. '"statuses":{%s}}\n',
		summary.requests, summary.duration, summary.bytes,
		e.connect, e.read, e.write, e.status, e.timeout,
		latency.min, latency.mean, latency.stdev, latency.max,
		latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
		table.concat(parts, ",")))
end
