-- One decision for every limit of one key, all-or-nothing, in one round trip.
-- KEYS[i]: the state of limit i (all keys share one hash tag, so one Cluster slot).
-- ARGV[1]: now in microseconds, or '' to read the server's TIME (the default: instance clocks do not matter)
-- ARGV[2]: permits to take (0 = only look whether one would fit)
-- ARGV[3 + 4(i-1) ..]: algorithm (1 token bucket/GCRA, 2 sliding window, 3 fixed window), quota, window (us), capacity
-- Returns {allowed (1/0), deciding limit (1-based), remaining, reset after (us), retry after (us)}.
if redis.replicate_commands then
  redis.replicate_commands() -- Redis < 7: replicate the writes, not the script, since it reads TIME
end
local now
if ARGV[1] == '' then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
else
  now = tonumber(ARGV[1])
end
local take = tonumber(ARGV[2])
local n = math.max(take, 1)
local floor, ceil, max = math.floor, math.ceil, math.max

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
    local interval = window / quota
    local tolerance = interval * capacity
    local tat = max(tonumber(redis.call('GET', key)) or now, now)
    local next = tat + n * interval
    if next - now > tolerance then
      retry = next - now - tolerance
      remaining = floor((tolerance - (tat - now)) / interval)
      reset = tat - now
    else
      local after = take > 0 and next or tat
      remaining = floor((tolerance - (after - now)) / interval)
      reset = after - now
      if take > 0 then
        writes[#writes + 1] = {'SET', key, string.format('%.0f', next), 'PX', ceil((next - now) / 1000) + 1}
      end
    end
  else
    local index = floor(now / window)
    local elapsed = now - index * window
    local state = redis.call('HMGET', key, 'w', 'p', 'c')
    local w, previous, current = tonumber(state[1]), tonumber(state[2]) or 0, tonumber(state[3]) or 0
    if algorithm == 3 then
      if w ~= index then current = 0 end
      previous = 0
    elseif w == nil or w < index - 1 then
      previous, current = 0, 0
    elseif w == index - 1 then
      previous, current = current, 0
    end
    local weight = algorithm == 2 and (window - elapsed) / window or 0
    local estimate = previous * weight + current
    if estimate + n > quota then
      if algorithm == 3 then
        retry = window - elapsed
      else
        local room = quota - n - current
        if room >= 0 then
          retry = max(0, window - floor(room * window / previous) - elapsed)
        else
          retry = window - elapsed + max(0, window - floor((quota - n) * window / current))
        end
      end
      remaining = max(0, floor(quota - estimate))
    else
      current = current + take
      estimate = estimate + take
      remaining = max(0, floor(quota - estimate))
      if take > 0 then
        local ttl = algorithm == 2 and (2 * window - elapsed) or (window - elapsed)
        writes[#writes + 1] = {'HSET', key, 'w', string.format('%.0f', index), 'p', previous, 'c', current}
        writes[#writes + 1] = {'PEXPIRE', key, ceil(ttl / 1000) + 1}
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
return {allowed, best, remainings[best], ceil(resets[best]), ceil(retries[best])}
