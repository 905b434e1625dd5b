-- Adds permits to (penalty, delta > 0) or gives permits back to (refund, delta < 0) every limit of one
-- key, whether or not they fit: the same keys, arguments and integer arithmetic as ratelimit.lua.
-- ARGV[1]: now in microseconds, or '' to read the server's TIME
-- ARGV[2]: delta in permits
-- ARGV[3 + 4(i-1) ..]: algorithm (1 token bucket/GCRA, 2 sliding window, 3 fixed window), quota, window (us), capacity
if redis.replicate_commands then
  redis.replicate_commands()
end
local floor, min, max = math.floor, math.min, math.max
local TTL_MARGIN = 1000

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
local delta = tonumber(ARGV[2])

for i = 1, #KEYS do
  local base = 2 + (i - 1) * 4
  local algorithm = tonumber(ARGV[base + 1])
  local quota = tonumber(ARGV[base + 2])
  local window = tonumber(ARGV[base + 3])
  local key = KEYS[i]
  if algorithm == 1 then
    local interval = idiv(window, quota)
    local capacity = tonumber(ARGV[base + 4])
    -- never emptier than empty (a penalty does not run into debt), never fuller than full
    local tat = min(max(tonumber(redis.call('GET', key)) or now, now) + delta * interval, now + interval * capacity)
    if tat > now then
      redis.call('SET', key, string.format('%.0f', tat), 'PX', idiv(tat - now + 999, 1000) + TTL_MARGIN)
    else
      redis.call('DEL', key) -- a full bucket
    end
  else
    local index = idiv(now, window)
    local state = redis.call('HMGET', key, 'w', 'p', 'c')
    local w, previous, current = tonumber(state[1]), tonumber(state[2]) or 0, tonumber(state[3]) or 0
    local at = now
    if w ~= nil and w > index then
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
    current = max(0, current + delta)
    local ttl = algorithm == 2 and (2 * window - elapsed) or (window - elapsed)
    redis.call('HSET', key, 'w', string.format('%.0f', index), 'p', previous, 'c', current)
    redis.call('PEXPIRE', key, idiv(ttl + 999, 1000) + TTL_MARGIN)
  end
end
return 1
