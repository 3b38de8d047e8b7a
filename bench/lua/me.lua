-- GET /auth/me with the seeded users' valid cookies, in turn.
-- Arguments (after wrk's --): the cookie file (one "name=value" per line).
local common = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local requests = {}
request = common.rotation(requests)

function init(args)
  for _, cookie in ipairs(common.read_lines(args[1])) do
    requests[#requests + 1] = wrk.format("GET", "/auth/me", { Cookie = cookie })
  end
end

done = common.reporter("me")
