-- wrk script: the Profile API by random identifiers of a `./tandem bench profiles` store,
-- each connection sending one request per millisecond (2 connections: about 1,500 requests/s).
-- See docs/benchmarks.md ("Profile API latency") for the steps.
math.randomseed(7)
local kinds = {"user_id:user-%d", "email:USER%d@Example.com", "anonymous_id:anon-%d"}
wrk.headers["Authorization"] = "Bearer bench-admin-token-0123456789"
request = function()
  local k = kinds[math.random(1, 3)]
  return wrk.format("GET", "/v1/profiles/" .. string.format(k, math.random(0, 999999)) .. "/traits")
end
delay = function()
  return 1
end
