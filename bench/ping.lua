-- wrk script: each request pings a random check from the uuid file (args: file, method).
local uuids = {}
local method = "GET"

init = function(args)
  for line in io.lines(args[1]) do
    if #line > 0 then uuids[#uuids + 1] = line end
  end
  method = args[2] or "GET"
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 1000)
end

request = function()
  local path = "/ping/" .. uuids[math.random(#uuids)]
  if method == "POST" then
    return wrk.format("POST", path, { ["Content-Type"] = "text/plain" }, "backup finished")
  end
  return wrk.format("GET", path)
end
