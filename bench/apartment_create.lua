-- apartment_create.lua — wrk script for bench/backends.py's write case.
--
-- POST /api/v4/apartment (the landlord API's apartment create, docs/API.md) with a new
-- apartment on every request: an apartment is unique by (national_id, the estate's city,
-- street_name, street_number), so each wrk thread has its own street (BENCH_PREFIX, set per
-- wrk process and run, plus the thread's number) and numbers its requests 1, 2, 3 … as the
-- street number. BENCH_ESTATE is the estate (made by the driver), BENCH_TOKEN the admin's
-- login token. A request() function puts Lua on every request: fine for a write, whose
-- server side costs far more than wrk's.
--
-- Only 2xx answers count: done() prints report.lua's BENCH line plus ok=N (2xx answers),
-- non2xx=N, rps_ok (2xx per second) and the first non-2xx status seen with the start of
-- its body, so a run that only collected 409s or 401s is visible as such.

local threads = {}
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("tid", counter)
   table.insert(threads, thread)
end

local n = 0
local street
local estate = tonumber(os.getenv("BENCH_ESTATE"))
ok = 0
non2xx = 0
first_bad = ""

function init(args)
   street = string.format("%s T%d", os.getenv("BENCH_PREFIX") or "Benchgatan", tid)
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
   wrk.headers["Authorization"] = "JWT " .. os.getenv("BENCH_TOKEN")
end

function request()
   n = n + 1
   local body = string.format(
      '{"estate": %d, "street_name": "%s", "street_number": "%d", "zip_code": "11151", ' ..
      '"national_id": "%04d", "latitude": 59.3293, "longitude": 18.0686, "area": 42.5, ' ..
      '"floor": %d, "rent": %d, "rooms": 2}',
      estate, street, n, n % 10000, n % 10, 6000 + n % 6000)
   return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      ok = ok + 1
   else
      non2xx = non2xx + 1
      if first_bad == "" then
         first_bad = status .. " " .. string.sub(body or "", 1, 160)
      end
   end
end

function done(summary, latency, requests)
   local good, bad, bad_text = 0, 0, ""
   for _, t in ipairs(threads) do
      good = good + t:get("ok")
      bad = bad + t:get("non2xx")
      local f = t:get("first_bad")
      if bad_text == "" and f ~= nil and f ~= "" then bad_text = f end
   end
   local secs = summary.duration / 1e6
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
      "bytes=%d err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d ok=%d non2xx=%d rps_ok=%.1f\n",
      summary.requests, secs, summary.requests / secs,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000,
      summary.bytes, e.connect, e.read, e.write, e.status, e.timeout, good, bad, good / secs))
   if bad_text ~= "" then
      io.write("NON2XX " .. string.gsub(bad_text, "\n", " ") .. "\n")
   end
end
