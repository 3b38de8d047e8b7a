-- POST /auth/register, each with a new email: the run nonce, the wrk thread and a counter make it
-- unique, so no request meets "User already exists". One Argon2 hash and two inserts each.
-- Arguments (after wrk's --): the nonce (distinct for every wrk run against one database).
local common = dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "common.lua")

local headers = { ["Content-Type"] = "application/json" }
local prefix, count = nil, 0

function init(args)
  prefix = "bench-" .. assert(args[1], "register.lua needs a nonce") .. "-t" .. (thread_id or 0) .. "-"
end

function request()
  count = count + 1
  local body = '{"email":"' .. prefix .. count .. '@example.com","password":"bench-Pass-' .. prefix .. count ..
    '","name":"Bench User"}'
  return wrk.format("POST", "/auth/register", headers, body)
end

done = common.reporter("register")
