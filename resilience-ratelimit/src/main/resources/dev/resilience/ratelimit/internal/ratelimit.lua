-- One decision for every limit of one key, all-or-nothing, in one round trip (after prelude.lua).
-- ARGV[2]: permits to take (0 = only look whether one would fit)
-- Returns {allowed (1/0), deciding limit (1-based), remaining, reset after (us), retry after (us)}.
local take = tonumber(ARGV[2])
local n = max(take, 1)

local allowed = 1
local best, fewest, longest = 1, nil, -1
-- what the deciding limit says (limit 1 always decides first, so these are always set)
local best_remaining, best_reset, best_retry = 0, 0, 0
-- all-or-nothing: a limit's write waits until every limit has agreed, except the last one's (the others
-- agreed already), so a key with one limit builds no table at all
local count = #KEYS
local writes = nil

for i = 1, count do
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
        local value, ttl = string.format('%d', next), idiv(next - now + 999, 1000) + TTL_MARGIN
        if i == count and allowed == 1 then
          redis.call('SET', key, value, 'PX', ttl)
        else
          writes = writes or {}
          writes[#writes + 1] = {'SET', key, value, 'PX', ttl}
        end
      end
    end
  else
    local index, elapsed, previous, current = window_state(key, algorithm, window)
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
        local w, px = string.format('%d', index), idiv(ttl + 999, 1000) + TTL_MARGIN
        if i == count and allowed == 1 then
          redis.call('HSET', key, 'w', w, 'p', previous, 'c', current)
          redis.call('PEXPIRE', key, px)
        else
          writes = writes or {}
          writes[#writes + 1] = {'HSET', key, 'w', w, 'p', previous, 'c', current}
          writes[#writes + 1] = {'PEXPIRE', key, px}
        end
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
      best_remaining, best_reset, best_retry = remaining, reset, retry
    end
  elseif allowed == 1 and (fewest == nil or remaining < fewest) then
    fewest, best = remaining, i
    best_remaining, best_reset, best_retry = remaining, reset, retry
  end
end

if allowed == 1 and writes then
  for w = 1, #writes do
    redis.call(unpack(writes[w]))
  end
end
return {allowed, best, best_remaining, best_reset, best_retry}
