-- soak.lua — the mixed traffic of tests/soak/soak.sh for wrk.
--
-- Every request is one "kind" (public read, authenticated read, write, failed login, bad
-- input, ...) drawn by weight, and sends its kind as X-Request-Id, which rentd echoes: wrk
-- gives response() no link to its request, the echo is how an answer is matched to what was
-- asked. Each kind lists the statuses that are correct for it; anything else is counted as
-- unexpected, every 5xx separately, an answer without the echo as "unmatched".
--
-- Writes: creates push the new estate's id on a per-thread list; deletes pop from it (a
-- create instead when it is empty), so the database stays about the same size. Updates go to
-- one estate made by soak.sh. Failed logins are throttled after a few tries: 429 is correct.
--
-- Environment (set by soak.sh): SOAK_TOKEN (a login token), SOAK_ESTATE (an estate id),
-- SOAK_APARTMENT (an apartment id), SOAK_LISTINGS (a file of public listing ids, one a
-- line), SOAK_OUT (where done() writes its JSON summary), SOAK_THINK_MS (pause between a
-- connection's requests, 0 = none).

local token = os.getenv("SOAK_TOKEN") or ""
local estate = os.getenv("SOAK_ESTATE") or "1"
local apartment = os.getenv("SOAK_APARTMENT") or "1"
local think = tonumber(os.getenv("SOAK_THINK_MS") or "0")
local auth = "JWT " .. token
local json_auth = { ["Content-Type"] = "application/json", ["Authorization"] = auth }
local json_anon = { ["Content-Type"] = "application/json" }

local listings = {}
do
	local f = io.open(os.getenv("SOAK_LISTINGS") or "", "r")
	if f then
		for line in f:lines() do listings[#listings + 1] = line end
		f:close()
	end
	if #listings == 0 then listings[1] = "1" end
end

-- kind = { weight, expected statuses, request builder }
local created = {} -- this thread's estates, for deletes
local seq = 0

local function with_id(kind, h)
	local t = {}
	for k, v in pairs(h or {}) do t[k] = v end
	t["X-Request-Id"] = kind
	return t
end

local kinds = {
	{ "public_object", 25, { [200] = true }, function()
		return "GET", "/api/v1/object/" .. listings[math.random(#listings)], nil, nil end },
	{ "public_cards", 8, { [200] = true }, function()
		return "POST", "/api/v3/cards/", json_anon,
			'{"shapes": ["county.1"], "min_room": 1, "sorting": "publish_date.desc", "amount": 20}' end },
	{ "public_unknown_id", 4, { [404] = true }, function()
		return "GET", "/api/v1/object/" .. math.random(900000000, 999999999), nil, nil end },
	{ "auth_estate", 8, { [200] = true }, function()
		return "GET", "/api/v4/estate/" .. estate, json_auth, nil end },
	{ "auth_inventory", 5, { [200] = true }, function()
		return "GET", "/api/v1/inventory/?amount=10", json_auth, nil end },
	{ "auth_apartment", 5, { [200] = true }, function()
		return "GET", "/api/v4/apartment/" .. apartment, json_auth, nil end },
	{ "auth_unknown_id", 3, { [404] = true }, function()
		return "GET", "/api/v4/estate/" .. math.random(900000000, 999999999), json_auth, nil end },
	{ "write_create", 8, { [200] = true, [201] = true }, nil },
	{ "write_delete", 8, { [204] = true }, nil },
	{ "write_update", 5, { [200] = true }, function()
		seq = seq + 1
		return "PATCH", "/api/v4/estate/" .. estate, json_auth,
			'{"legal_name": "Soak ' .. seq .. '", "city": "Uppsala"}' end },
	{ "write_note", 1, { [201] = true }, function()
		return "POST", "/api/v4/apartment/" .. apartment .. "/notes", json_auth,
			'{"text": "soak note", "context": "A"}' end },
	{ "login_failed", 2, { [403] = true, [429] = true }, function()
		return "POST", "/api/v2/tokens/", json_anon,
			'{"username": "nobody@rentd.local", "password": "wrong password"}' end },
	{ "bad_json", 4, { [400] = true }, function()
		return "POST", "/api/v4/estate", json_auth, '{"legal_name": "x", "city": ' end },
	{ "bad_types", 4, { [412] = true }, function()
		return "POST", "/api/v4/estate", json_auth, '{"legal_name": 5, "city": ["Stockholm"]}' end },
	{ "bad_query", 3, { [400] = true }, function()
		return "GET", "/api/v1/inventory/?amount=abc&offset=%zz", json_auth, nil end },
	{ "bad_token", 2, { [401] = true }, function()
		return "GET", "/api/v4/estate/" .. estate, { ["Authorization"] = "JWT not.a.token" }, nil end },
	{ "health", 3, { [200] = true }, function()
		return "GET", "/healthz", nil, nil end },
}

local expected = {}
local total_weight = 0
for _, k in ipairs(kinds) do
	expected[k[1]] = k[3]
	total_weight = total_weight + k[2]
end

local function create()
	seq = seq + 1
	return "write_create", "POST", "/api/v4/estate", json_auth,
		'{"legal_name": "Soak estate ' .. seq .. '", "city": "Stockholm"}'
end

local function pick()
	local r = math.random(total_weight)
	for _, k in ipairs(kinds) do
		r = r - k[2]
		if r <= 0 then
			if k[1] == "write_create" then return create() end
			if k[1] == "write_delete" then
				local id = table.remove(created)
				if not id then return create() end
				return "write_delete", "DELETE", "/api/v4/estate/" .. id, json_auth, nil
			end
			return k[1], k[4]()
		end
	end
end

-- thread bookkeeping (main state)
local threads = {}
function setup(thread)
	thread:set("tid", #threads + 1)
	table.insert(threads, thread)
end

-- per-thread state
counts = {}     -- "kind status" -> n
function init(args)
	math.randomseed(os.time() + (tid or 0) * 7919)
end

function request()
	local kind, method, path, headers, body = pick()
	return wrk.format(method, path, with_id(kind, headers), body)
end

if think > 0 then
	function delay()
		return math.random(0, 2 * think)
	end
end

function response(status, headers, body)
	local kind = headers["X-Request-Id"] or headers["x-request-id"] or "unmatched"
	local key = kind .. " " .. status
	counts[key] = (counts[key] or 0) + 1
	if kind == "write_create" and status == 200 then
		local id = body:match('"id":%s*(%d+)')
		if id then table.insert(created, id) end
	end
end

function done(summary, latency, requests)
	local merged = {}
	for _, t in ipairs(threads) do
		for k, n in pairs(t:get("counts")) do merged[k] = (merged[k] or 0) + n end
	end
	local unexpected, server_errors, unmatched = 0, 0, 0
	local parts = {}
	for key, n in pairs(merged) do
		local kind, status = key:match("^(%S+) (%d+)$")
		status = tonumber(status)
		if status >= 500 then server_errors = server_errors + n end
		if kind == "unmatched" then
			unmatched = unmatched + n
		elseif not (expected[kind] and expected[kind][status]) then
			unexpected = unexpected + n
		end
		parts[#parts + 1] = string.format('"%s": %d', key, n)
	end
	table.sort(parts)
	local e = summary.errors
	local f = assert(io.open(os.getenv("SOAK_OUT") or "/dev/stdout", "w"))
	f:write(string.format('{"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "max_us": %d, ' ..
		'"connect_errors": %d, "read_errors": %d, "write_errors": %d, "timeouts": %d, ' ..
		'"server_errors": %d, "unexpected": %d, "unmatched": %d, "by_kind": {%s}}\n',
		summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
		e.connect, e.read, e.write, e.timeout, server_errors, unexpected, unmatched,
		table.concat(parts, ", ")))
	f:close()
end
