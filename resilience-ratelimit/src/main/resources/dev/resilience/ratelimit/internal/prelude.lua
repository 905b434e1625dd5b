-- Shared by the rate-limit scripts (RedisScript puts it in front of each): time, integer division and
-- the state of a window limit.
-- KEYS[i]: the state of limit i (all keys share one hash tag, so one Cluster slot).
-- ARGV[1]: now in microseconds, or '' to read the server's TIME (the default: instance clocks do not matter)
-- ARGV[3 + 4(i-1) ..]: algorithm (1 token bucket/GCRA, 2 sliding window, 3 fixed window), quota, window (us), capacity
--
-- Integer arithmetic only, in microseconds, the same as the in-memory limiter's (internal/*Counter.java):
-- every value stays below 2^53, where Lua's numbers (doubles) are exact, and every division goes through
-- idiv, so Redis and memory reach the same decisions and the same remaining permits.
if redis.replicate_commands then
  redis.replicate_commands() -- Redis < 7: replicate the writes, not the script, since it reads TIME
end
local floor, min, max = math.floor, math.min, math.max
-- a key lives 1 s (in ms) longer than its state matters: expiry runs on the server's clock, which may be
-- ahead of the clients' (clientTime) or see a request later than it was timed
local TTL_MARGIN = 1000

-- floor(a / b) for integers a >= 0, b > 0 (a / b is rounded; correct the floor by one where it matters)
local function idiv(a, b)
  local q = floor(a / b)
  if q * b > a then
    q = q - 1
  elseif (q + 1) * b <= a then
    q = q + 1
  end
  return q
end

local now
if ARGV[1] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
else
  now = tonumber(ARGV[1])
end

-- A window limit's state at now: its window number, the time counted from (the start of a later window
-- when an instance whose clock runs ahead already counts there: never go back to, and reset, an older
-- window), the time elapsed in the window, and the previous and current counts.
local function window_state(key, algorithm, window)
  local index = idiv(now, window)
  local state = redis.call('HMGET', key, 'w', 'p', 'c')
  local w, previous, current = tonumber(state[1]), tonumber(state[2]) or 0, tonumber(state[3]) or 0
  local at = now
  if w ~= nil and w > index then
    index, at = w, w * window
  end
  if algorithm == 3 then
    if w ~= index then current = 0 end
    previous = 0
  elseif w == nil or w < index - 1 then
    previous, current = 0, 0
  elseif w == index - 1 then
    previous, current = current, 0
  end
  return index, at - index * window, previous, current
end
