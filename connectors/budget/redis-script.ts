// bucket.ts in Lua: one atomic script per operation on a connection's bucket hash, so every worker
// sharing the Redis shares the budget. Times are the caller's clock when given (tests), else Redis's.
export const BUDGET_SCRIPT = `
local key, op = KEYS[1], ARGV[1]
local now = tonumber(ARGV[2])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local ceiling, arg, ttl = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local burst, decrease, increase = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
local minRate, base, maxBackoff = tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11])

local h = redis.call('HMGET', key, 'tokens', 'ts', 'rate', 'until', 'strikes')
local tokens, ts, rate = tonumber(h[1]), tonumber(h[2]) or 0, tonumber(h[3])
local untilMs, strikes = tonumber(h[4]) or 0, tonumber(h[5]) or 0

local function current()
  if rate and rate < ceiling then return rate end
  return ceiling
end
local function refill()
  local r = current()
  local cap = math.max(1, r * burst)
  if not tokens then
    tokens, ts = cap, now
  elseif now > ts then
    tokens, ts = math.min(cap, tokens + (now - ts) * r / 1000), now
  end
  return r
end
local function hold(ms)
  untilMs = math.max(untilMs, now + ms)
  tokens, ts = 0, untilMs
end

local result = 0
if op == 'take' then
  local r = refill()
  if untilMs > now then
    result = untilMs - now
  elseif tokens >= 1 then
    tokens = tokens - 1
  else
    result = (1 - tokens) * 1000 / r
  end
elseif op == 'pause' then
  hold(arg)
elseif op == 'throttled' then
  if now >= untilMs then
    rate = math.max(math.min(minRate, ceiling), current() * decrease)
    strikes = strikes + 1
  end
  hold(arg or math.min(maxBackoff, base * 2 ^ (math.max(1, strikes) - 1)))
  result = untilMs - now
elseif op == 'success' then
  strikes = 0
  local r = current() + increase * ceiling
  if r >= ceiling then rate = nil else rate = r end
elseif op == 'inspect' then
  local r = refill()
  local available = tokens
  if ts > now then available = 0 end
  return { tostring(r), tostring(available), tostring(math.max(0, untilMs - now)), tostring(strikes) }
end

redis.call('HSET', key, 'ts', tostring(ts), 'until', tostring(untilMs), 'strikes', tostring(strikes))
if tokens then redis.call('HSET', key, 'tokens', tostring(tokens)) else redis.call('HDEL', key, 'tokens') end
if rate then redis.call('HSET', key, 'rate', tostring(rate)) else redis.call('HDEL', key, 'rate') end
redis.call('PEXPIRE', key, math.floor(math.max(ttl, untilMs - now + ttl)))
return math.ceil(result)
`;
