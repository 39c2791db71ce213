-- wrk script: each request saves one day of a randomly chosen benchmark person, as the log form
-- (SAVE=form: POST /log/<day>/ with the session and CSRF cookies) or the API (SAVE=api: PUT
-- /api/v1/entries/<day>/ with the person's token). Each line of SESSIONS_FILE is
-- "<session key> <API token>". The day is one of the last four weeks, so most saves replace a day
-- already logged, as people mostly do; the values change so every save writes.
local people = {}
local kind = os.getenv("SAVE")
-- Any 32 letters or digits make a valid unmasked CSRF token, sent both as cookie and header.
local csrf = "benchmarkcsrfbenchmarkcsrf012345"

init = function(args)
  for line in io.lines(os.getenv("SESSIONS_FILE")) do
    local session, token = line:match("^(%S+)%s+(%S+)$")
    people[#people + 1] = { session = session, token = token }
  end
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

request = function()
  local person = people[math.random(#people)]
  local day = os.date("!%Y-%m-%d", os.time() - math.random(2, 28) * 86400)
  local stress, sleep = math.random(0, 10), 4 + math.random(0, 16) / 4
  if kind == "api" then
    return wrk.format("PUT", "/api/v1/entries/" .. day .. "/", {
      ["Authorization"] = "Bearer " .. person.token,
      ["Content-Type"] = "application/json",
    }, string.format('{"stress": %d, "sleep_hours": %.2f, "fatigue": 3}', stress, sleep))
  end
  return wrk.format("POST", "/log/" .. day .. "/", {
    ["Cookie"] = "sessionid=" .. person.session .. "; csrftoken=" .. csrf,
    ["X-CSRFToken"] = csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, string.format("stress=%d&sleep_hours=%.2f&fatigue=3", stress, sleep))
end

response = function(status, headers, body)
  -- The form answers a save with a redirect back to the day, the API with 200 (201 if new).
  if not (status == 302 or status == 200 or status == 201) then
    io.stderr:write("status " .. status .. "\n")
  end
end
