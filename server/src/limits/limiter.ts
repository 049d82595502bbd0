import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';

import type { Database } from '../db/schema';
import type { TenantScope } from '../http/operation';
import type { Logger } from '../log';
import { paramsFor, type GcraDecision, type GcraParams } from './gcra';
import { MemoryStore, RedisStore, type LimiterStore } from './stores';

/** Reads are GET and HEAD; every other method is a write. */
export type RequestClass = 'reads' | 'writes';

export interface Budget {
  readsPerMinute: number;
  writesPerMinute: number;
}

export interface LimitResult {
  requestClass: RequestClass;
  budget: Budget;
  decision: GcraDecision;
}

export interface RateLimiterOptions {
  db: Kysely<Database>;
  log: Logger;
  defaults: Budget;
  /** The shared store; without it, each process limits on its own. */
  redis?: Redis | undefined;
  /** How long a tenant's override is cached, in ms: the delay before a change takes effect. */
  overrideTtlMs: number;
  /** Clock for tests; production uses Redis's clock (or Date.now in memory). */
  now?: () => number;
}

/**
 * Per-tenant budgets, shared by every server process through Redis. Live and test traffic,
 * and reads and writes, each have their own bucket. The bucket is keyed by tenant and mode,
 * not by credential, so API keys and kiosk device tokens of one tenant draw on one budget.
 */
export class RateLimiter {
  readonly #options: RateLimiterOptions;
  readonly #shared: LimiterStore | undefined;
  readonly #local: LimiterStore;
  readonly #overrides = new Map<string, { budget: Budget; fetchedAt: number }>();
  #redisDown = false;

  constructor(options: RateLimiterOptions) {
    this.#options = options;
    this.#shared = options.redis ? new RedisStore(options.redis, options.now) : undefined;
    this.#local = new MemoryStore(options.now);
  }

  async consume(scope: TenantScope, method: string): Promise<LimitResult> {
    const requestClass: RequestClass = method === 'GET' || method === 'HEAD' ? 'reads' : 'writes';
    const budget = await this.budgetFor(scope.tenantId);
    const rate = requestClass === 'reads' ? budget.readsPerMinute : budget.writesPerMinute;
    // The braces are a Redis Cluster hash tag: all of a tenant's keys land on one slot.
    const key = `vf:rl:{${scope.tenantId}}:${scope.mode}:${requestClass}`;

    const decision = await this.#consumeWithFallback(key, paramsFor(rate));
    return { requestClass, budget, decision };
  }

  /**
   * Charges one attempt to a special-purpose bucket, such as check-in code guesses per kiosk.
   * The key must carry the tenant in braces, as the budget keys do.
   */
  async consumeKey(key: string, params: GcraParams): Promise<GcraDecision> {
    return this.#consumeWithFallback(key, params);
  }

  /** Returns the tenant's override when one is set, else the defaults, cached for `overrideTtlMs`. */
  async budgetFor(tenantId: string): Promise<Budget> {
    const cached = this.#overrides.get(tenantId);
    const now = Date.now();
    if (cached && now - cached.fetchedAt < this.#options.overrideTtlMs) return cached.budget;

    let budget = this.#options.defaults;
    try {
      const row = await this.#options.db
        .selectFrom('tenant_rate_limits')
        .select(['reads_per_minute', 'writes_per_minute'])
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      if (row) budget = { readsPerMinute: row.reads_per_minute, writesPerMinute: row.writes_per_minute };
    } catch (error) {
      // Without the database the request will fail anyway; limiting it by the defaults is enough.
      this.#options.log.warn({ err: error, tenant_id: tenantId }, 'could not load rate limit override; using the defaults');
      return cached?.budget ?? budget;
    }
    this.#overrides.set(tenantId, { budget, fetchedAt: now });
    return budget;
  }

  async #consumeWithFallback(key: string, params: GcraParams): Promise<GcraDecision> {
    if (!this.#shared) return this.#local.consume(key, params);

    try {
      const decision = await this.#shared.consume(key, params);
      if (this.#redisDown) {
        this.#redisDown = false;
        this.#options.log.info('Redis is reachable again; rate limits are shared across processes again');
      }
      return decision;
    } catch (error) {
      if (!this.#redisDown) {
        this.#redisDown = true;
        this.#options.log.error({ err: error }, 'Redis is unreachable; limiting each process on its own until it returns');
      }
      return this.#local.consume(key, params);
    }
  }
}
