-- wrk script: each request signs in as a randomly chosen benchmark person.
local sessions = {}

init = function(args)
  for line in io.lines(os.getenv("SESSIONS_FILE")) do
    sessions[#sessions + 1] = line:match("^%S+") -- the session key; an API token may follow
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

request = function()
  local key = sessions[math.random(#sessions)]
  return wrk.format("GET", os.getenv("BENCH_PATH"), { ["Cookie"] = "sessionid=" .. key })
end

response = function(status, headers, body)
  if status ~= 200 then
    io.stderr:write("status " .. status .. "\n")
  end
end
