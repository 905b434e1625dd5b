-- Login protection: one call reserves an attempt, one call records its outcome, atomically over the
-- subjects of a login (username+address, address, optionally username).
-- KEYS: per subject i, KEYS[2i-1] = its failures (sorted set: reservation token -> time in us) and
--       KEYS[2i] = its block (hash: until, strikes, last).
-- ARGV: op ('reserve' | 'fail' | 'succeed'), token, window us, block us, longest block as a multiple of
--       it, strike memory us, then per subject its maximum failures.
-- Returns {blocked 0/1, retry after us, failures left, block left us per subject...}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local op, token = ARGV[1], ARGV[2]
local window, block, multiple, memory = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local n = #KEYS / 2
local count, left = {}, {}
for i = 1, n do
  redis.call('ZREMRANGEBYSCORE', KEYS[2 * i - 1], '-inf', now - window)
  count[i] = redis.call('ZCARD', KEYS[2 * i - 1])
  local untilUs = tonumber(redis.call('HGET', KEYS[2 * i], 'until') or '0')
  left[i] = math.max(0, untilUs - now)
end
local function keepFailures(i)
  redis.call('PEXPIRE', KEYS[2 * i - 1], math.ceil(window / 1000) + 1)
end
local function answer(retry)
  local remaining = nil
  for i = 1, n do
    retry = math.max(retry, left[i])
    local r = tonumber(ARGV[6 + i]) - count[i]
    if remaining == nil or r < remaining then remaining = r end
  end
  local reply = {retry > 0 and 1 or 0, retry, retry > 0 and 0 or math.max(0, remaining)}
  for i = 1, n do reply[3 + i] = left[i] end
  return reply
end

if op == 'reserve' then
  local retry = 0
  for i = 1, n do retry = math.max(retry, left[i]) end
  if retry == 0 then
    for i = 1, n do
      if count[i] >= tonumber(ARGV[6 + i]) then
        -- every attempt taken by reservations in flight: until the oldest leaves the window
        local oldest = redis.call('ZRANGE', KEYS[2 * i - 1], 0, 0, 'WITHSCORES')
        retry = math.max(retry, tonumber(oldest[2]) + window - now, 1)
      end
    end
  end
  if retry > 0 then return answer(retry) end
  for i = 1, n do
    redis.call('ZADD', KEYS[2 * i - 1], now, token)
    count[i] = count[i] + 1
    keepFailures(i)
  end
  return answer(0)
elseif op == 'fail' then
  for i = 1, n do
    local f, b = KEYS[2 * i - 1], KEYS[2 * i]
    if not redis.call('ZSCORE', f, token) then
      redis.call('ZADD', f, now, token) -- reserved elsewhere (during an outage) or cleared by a block
      count[i] = count[i] + 1
    end
    keepFailures(i)
    if count[i] >= tonumber(ARGV[6 + i]) and left[i] == 0 then
      local strikes = tonumber(redis.call('HGET', b, 'strikes') or '0')
      local last = tonumber(redis.call('HGET', b, 'last') or '0')
      if strikes == 0 or now - last >= memory then strikes = 1 else strikes = strikes + 1 end
      local duration = block * math.min(multiple, 2 ^ math.min(strikes - 1, 30))
      redis.call('HSET', b, 'until', now + duration, 'strikes', strikes, 'last', now)
      redis.call('PEXPIRE', b, math.ceil(math.max(duration, multiple > 1 and memory or 0) / 1000) + 1)
      redis.call('DEL', f) -- the block stands for them: after it, a full set of attempts again
      count[i] = 0
      left[i] = duration
    end
  end
  return answer(0)
else -- succeed
  redis.call('DEL', KEYS[1])
  redis.call('HDEL', KEYS[2], 'until')
  for i = 2, n do redis.call('ZREM', KEYS[2 * i - 1], token) end
  return {0, 0, 0}
end
