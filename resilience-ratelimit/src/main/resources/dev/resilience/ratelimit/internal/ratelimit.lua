-- One decision for every limit of one key, all-or-nothing, in one round trip.
-- KEYS[i]: the state of limit i (all keys share one hash tag, so one Cluster slot).
-- ARGV[1]: now in microseconds, or '' to read the server's TIME (the default: instance clocks do not matter)
-- ARGV[2]: permits to take (0 = only look whether one would fit)
-- ARGV[3 + 4(i-1) ..]: algorithm (1 token bucket/GCRA, 2 sliding window, 3 fixed window), quota, window (us), capacity
-- Returns {allowed (1/0), deciding limit (1-based), remaining, reset after (us), retry after (us)}.
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
local take = tonumber(ARGV[2])
local n = max(take, 1)

local allowed = 1
local best, fewest, longest = 1, nil, -1
local remainings, resets, retries, writes = {}, {}, {}, {}

for i = 1, #KEYS do
  local base = 2 + (i - 1) * 4
  local algorithm = tonumber(ARGV[base + 1])
  local quota = tonumber(ARGV[base + 2])
  local window = tonumber(ARGV[base + 3])
  local capacity = tonumber(ARGV[base + 4])
  local key = KEYS[i]
  local remaining, reset, retry = 0, 0, 0

  if algorithm == 1 then
    local interval = idiv(window, quota)
    local tolerance = interval * capacity
    local tat = max(tonumber(redis.call('GET', key)) or now, now)
    local next = tat + n * interval
    if next - now > tolerance then
      retry = next - now - tolerance
      reset = tat - now
    else
      local after = take > 0 and next or tat
      remaining = idiv(tolerance - (after - now), interval)
      reset = after - now
      if take > 0 then
        writes[#writes + 1] = {'SET', key, string.format('%.0f', next), 'PX', idiv(next - now + 999, 1000) + TTL_MARGIN}
      end
    end
  else
    local index = idiv(now, window)
    local state = redis.call('HMGET', key, 'w', 'p', 'c')
    local w, previous, current = tonumber(state[1]), tonumber(state[2]) or 0, tonumber(state[3]) or 0
    local at = now
    if w ~= nil and w > index then
      -- an instance whose clock runs ahead (clientTime) already counts in a later window: count there
      -- too, from its start, rather than going back to (and resetting) an older window
      index, at = w, w * window
    end
    local elapsed = at - index * window
    if algorithm == 3 then
      if w ~= index then current = 0 end
      previous = 0
    elseif w == nil or w < index - 1 then
      previous, current = 0, 0
    elseif w == index - 1 then
      previous, current = current, 0
    end
    -- the previous window weighs (units - elapsed / granule) / units: granules of 1 us for windows up to
    -- 2^32 us (71 min), coarser beyond, so that previous * units stays below 2^53
    local granule = idiv(window + 4294967295, 4294967296)
    local units = idiv(window + granule - 1, granule)
    local weighted = 0
    if algorithm == 2 and previous > 0 then
      weighted = idiv(previous * (units - idiv(elapsed, granule)) + units - 1, units) -- rounded up
    end
    if current + weighted + n > quota then
      -- the earliest time the same request fits if nothing else arrives
      local room = quota - n - current
      local due = window
      if algorithm == 2 and room >= 0 then
        due = granule * (units - idiv(room * units, previous))
      end
      if due < window then
        retry = due - elapsed
      else
        local later = 0 -- into the next window, where this window's count weighs in as the previous one
        if algorithm == 2 and current > 0 then
          later = min(granule * (units - idiv((quota - n) * units, current)), window)
        end
        retry = window - elapsed + later
      end
    else
      current = current + take
      remaining = quota - current - weighted
      if take > 0 then
        local ttl = algorithm == 2 and (2 * window - elapsed) or (window - elapsed)
        writes[#writes + 1] = {'HSET', key, 'w', string.format('%.0f', index), 'p', previous, 'c', current}
        writes[#writes + 1] = {'PEXPIRE', key, idiv(ttl + 999, 1000) + TTL_MARGIN}
      end
    end
    if current > 0 then
      reset = algorithm == 2 and (2 * window - elapsed) or (window - elapsed)
    elseif previous > 0 then
      reset = window - elapsed
    end
  end

  if retry > 0 then
    allowed = 0
    if retry > longest then
      longest, best = retry, i
    end
  elseif allowed == 1 and (fewest == nil or remaining < fewest) then
    fewest, best = remaining, i
  end
  remainings[i], resets[i], retries[i] = remaining, reset, retry
end

if allowed == 1 then
  for _, command in ipairs(writes) do
    redis.call(unpack(command))
  end
end
return {allowed, best, remainings[best], resets[best], retries[best]}
