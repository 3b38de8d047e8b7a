-- Shared by the scenario scripts: reading the files bench/run writes, and the one JSON line that
-- done() prints for bench/run to parse. wrk runs LuaJIT (Lua 5.1).
local common = {}

-- Non-empty lines of a file, as a list.
function common.read_lines(path)
  local lines = {}
  local file = assert(io.open(path, "r"), "cannot open " .. tostring(path))
  for line in file:lines() do
    if line ~= "" then lines[#lines + 1] = line end
  end
  file:close()
  assert(#lines > 0, path .. " is empty")
  return lines
end

-- Enough JSON string escaping for the emails and passwords bench/run generates.
function common.json_string(text)
  return '"' .. text:gsub('[%c"\\]', function(c)
    return string.format("\\u%04x", c:byte())
  end) .. '"'
end

-- The thread number given by setup(), so each thread starts elsewhere in the rotation.
local threads = 0
function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

-- request() serving pre-formatted requests in turn: no string building on the hot path. It must
-- exist when the script loads (wrk decides then whether requests are dynamic), so `requests` is
-- filled later, by init().
function common.rotation(requests)
  local i = nil
  return function()
    i = (i or (thread_id or 0)) % #requests + 1
    return requests[i]
  end
end

-- done() for a scenario: one JSON line on stdout. Durations from wrk are in microseconds.
function common.reporter(scenario)
  return function(summary, latency, requests)
    local seconds = summary.duration / 1e6
    local e = summary.errors
    io.write(string.format(
      '{"scenario":"%s","requests":%d,"duration_s":%.3f,"requests_per_second":%.2f,' ..
      '"latency_ms":{"p50":%.3f,"p90":%.3f,"p99":%.3f,"mean":%.3f,"max":%.3f},' ..
      '"non_2xx":%d,"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},"bytes":%d}\n',
      scenario, summary.requests, seconds, seconds > 0 and summary.requests / seconds or 0,
      latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
      latency.mean / 1e3, latency.max / 1e3,
      e.status, e.connect, e.read, e.write, e.timeout, summary.bytes))
  end
end

return common
