import type { Redis } from 'ioredis';
import type { BudgetGrant, SendBudget } from './send-budget.js';
import { runScript } from '../../signaling/redis/redis-scripts.js';

// The token bucket in Redis, for every instance sending for one business number. One Lua script refills and
// takes atomically, on Redis's clock (TIME), so that instances with drifting clocks agree.

// KEYS[1] bucket; ARGV: per second, wanted. Returns {granted, retry in ms}.
const TAKE = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local rate = tonumber(ARGV[1])
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(bucket[1]) or rate
local at = tonumber(bucket[2]) or now
tokens = math.min(rate, tokens + math.max(0, now - at) * rate / 1000)
local granted = math.max(0, math.min(tonumber(ARGV[2]), math.floor(tokens)))
tokens = tokens - granted
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], 60000)
local retry = 0
if granted == 0 then retry = math.ceil((1 - tokens) * 1000 / rate) end
return {granted, retry}`;

/** SendBudget shared through Redis, keyed by the business number. */
export class RedisSendBudget implements SendBudget {
  readonly #key: string;

  constructor(
    private readonly redis: Redis,
    phoneNumberId: string,
    private readonly perSecond: number,
  ) {
    this.#key = `wwb:send-budget:${phoneNumberId}`;
  }

  async take(wanted: number): Promise<BudgetGrant> {
    const [granted, retryInMs] = (await runScript(this.redis, TAKE, this.#key, this.perSecond, wanted)) as [
      number,
      number,
    ];
    return { granted, retryInMs };
  }

  async giveBack(count: number): Promise<void> {
    if (count > 0) await this.redis.hincrbyfloat(this.#key, 'tokens', count);
  }
}
