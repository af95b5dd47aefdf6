-- report.lua — wrk script for bench/run.sh.
--
-- Defines only done(), so wrk keeps its fast C path for requests and responses
-- (a request()/response() function would put Lua on every request). done() prints
-- one machine-readable line that run.sh parses:
--
--   BENCH requests=N duration_s=S rps=R p50_ms=A p90_ms=B p99_ms=C max_ms=D
--         bytes=N err_connect=N err_read=N err_write=N err_status=N err_timeout=N
--
-- wrk records latency in microseconds; percentiles are printed in milliseconds.

-- A POST case (the login) sets BENCH_METHOD and BENCH_BODY; assigning wrk.* once here
-- keeps the request static, still without Lua per request.
if os.getenv("BENCH_METHOD") then
   wrk.method = os.getenv("BENCH_METHOD")
   wrk.body = os.getenv("BENCH_BODY")
   wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
   local secs = summary.duration / 1e6
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d duration_s=%.3f rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
      "bytes=%d err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
      summary.requests, secs, summary.requests / secs,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000,
      summary.bytes, e.connect, e.read, e.write, e.status, e.timeout))
end
