-- spread.lua — wrk script for bench/run.sh cases that read many different paths.
--
-- BENCH_PATHS names a file of request paths, one a line; each wrk thread walks it from
-- its own starting point, so a run touches far more rows than any server cache holds.
-- A request() function puts Lua on every request, so wrk itself is slower here than
-- with report.lua alone: these cases have no nginx row. done() is report.lua's.
dofile("bench/report.lua")

local threads = 0

function setup(thread)
   threads = threads + 1
   thread:set("start", threads)
end

local paths = {}
local i = 0

function init(args)
   for line in io.lines(os.getenv("BENCH_PATHS")) do
      paths[#paths + 1] = line
   end
   i = math.floor(#paths * (start - 1) / 4)
end

function request()
   i = i % #paths + 1
   return wrk.format(nil, paths[i])
end
