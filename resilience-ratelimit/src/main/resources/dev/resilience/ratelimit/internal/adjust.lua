-- Adds permits to (penalty, delta > 0) or gives permits back to (refund, delta < 0) every limit of one
-- key, whether or not they fit, with the keys and arguments of ratelimit.lua (after prelude.lua).
-- ARGV[2]: delta in permits
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
    local index, elapsed, previous, current = window_state(key, algorithm, window)
    current = max(0, current + delta)
    local ttl = algorithm == 2 and (2 * window - elapsed) or (window - elapsed)
    redis.call('HSET', key, 'w', string.format('%.0f', index), 'p', previous, 'c', current)
    redis.call('PEXPIRE', key, idiv(ttl + 999, 1000) + TTL_MARGIN)
  end
end
return 1
