-- POST /auth/login with the seeded users' valid credentials, in turn: one Argon2 verify each.
-- Arguments (after wrk's --): the credentials file (one "email<TAB>password" per line).
local common = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local requests = {}
request = common.rotation(requests)

function init(args)
  local headers = { ["Content-Type"] = "application/json" }
  for _, line in ipairs(common.read_lines(args[1])) do
    local email, password = line:match("^([^\t]+)\t(.+)$")
    local body = '{"email":' .. common.json_string(email) .. ',"password":' .. common.json_string(password) .. "}"
    requests[#requests + 1] = wrk.format("POST", "/auth/login", headers, body)
  end
end

done = common.reporter("login")
