-- GET /healthz: no store, no auth; the ceiling of the HTTP layer in this process.
local common = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

-- Served through request() like the other scenarios (wrk calls into Lua for every request when a
-- script defines it), so that the ratios between scenarios compare authd, not wrk's two modes.
local requests = {}
request = common.rotation(requests)

function init(args)
  requests[1] = wrk.format("GET", "/healthz")
end

done = common.reporter("healthz")
