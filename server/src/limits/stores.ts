import type { Redis } from 'ioredis';

import { decide, type GcraDecision, type GcraParams } from './gcra';

/** Where TATs live: one atomic decide-and-store per request. */
export interface LimiterStore {
  consume(key: string, params: GcraParams): Promise<GcraDecision>;
}

/**
 * A per-process store: the limiter when `REDIS_URL` is unset, and the fallback while Redis is
 * unreachable. `now` is injectable so tests can move time without waiting.
 */
export class MemoryStore implements LimiterStore {
  readonly #tats = new Map<string, number>();
  readonly #now: () => number;
  #lastSweep = 0;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  async consume(key: string, params: GcraParams): Promise<GcraDecision> {
    const now = this.#now();
    this.#sweep(now);
    const decision = decide(this.#tats.get(key), now, params);
    if (decision.allowed) this.#tats.set(key, decision.tatMs);
    return decision;
  }

  /** Drops keys whose TAT has passed (they read the same as absent keys), at most once a minute. */
  #sweep(now: number): void {
    if (now - this.#lastSweep < 60_000) return;
    this.#lastSweep = now;
    for (const [key, tat] of this.#tats) if (tat < now) this.#tats.delete(key);
  }
}

// The same arithmetic as gcra.ts `decide`, run inside Redis so that check and update are one
// atomic step for every server process. Time comes from Redis (TIME) so that the processes'
// clocks do not matter, unless ARGV[3] passes a time (tests that move the clock).
// Returns { allowed (0/1), remaining, retry_after_ms, reset_ms } as integers.
const GCRA_SCRIPT = `
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local now
if ARGV[3] and ARGV[3] ~= '' then
  now = tonumber(ARGV[3])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local next_tat = tat + interval
if next_tat - now > tolerance + interval then
  return { 0, 0, math.ceil(next_tat - now - tolerance - interval), math.ceil(tat - now) }
end
redis.call('SET', KEYS[1], tostring(next_tat), 'PX', math.ceil(next_tat - now) + 1000)
return { 1, math.floor((tolerance + interval - (next_tat - now)) / interval), 0, math.ceil(next_tat - now) }
`;

interface GcraRedis extends Redis {
  vfGcra(key: string, intervalMs: number, toleranceMs: number, nowMs: string): Promise<[number, number, number, number]>;
}

/** The shared store: one Lua call (one round trip) per request, on keys that Redis Cluster can route by tenant. */
export class RedisStore implements LimiterStore {
  readonly #redis: GcraRedis;
  readonly #now: (() => number) | undefined;

  constructor(redis: Redis, now?: () => number) {
    redis.defineCommand('vfGcra', { numberOfKeys: 1, lua: GCRA_SCRIPT });
    this.#redis = redis as GcraRedis;
    this.#now = now;
  }

  async consume(key: string, params: GcraParams): Promise<GcraDecision> {
    const now = this.#now ? String(this.#now()) : '';
    const [allowed, remaining, retryAfterMs, resetMs] = await this.#redis.vfGcra(key, params.intervalMs, params.toleranceMs, now);
    return { allowed: allowed === 1, remaining, retryAfterMs, resetMs, tatMs: Number.NaN };
  }
}
