import type { Redis } from 'ioredis';
import type { RateLimiterRedis } from 'rate-limiter-flexible';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { createLimiter } from '../../rate-limiter.js';
import { RateLimitedError } from '../../errors.js';
import type { Logger } from '../../logger.js';

/**
 * Why a webhook delivery was not stored. The first four count towards the tenant key's limit:
 * nothing shows that Facebook sent them. `UNKNOWN_PAGE` is Facebook's own (signed with one of
 * the tenant's app secrets) for a page the tenant no longer has in Omni, so it does not.
 */
export type WebhookRefusalReason =
  | 'SIGNATURE_MISSING'
  | 'MALFORMED'
  | 'SIGNATURE_INVALID'
  | 'UNVERIFIABLE'
  | 'UNKNOWN_PAGE'
  | 'THROTTLED'
  | 'UNKNOWN_TENANT';

const COUNTED_TOWARDS_LIMIT: ReadonlySet<WebhookRefusalReason> = new Set([
  'SIGNATURE_MISSING',
  'MALFORMED',
  'SIGNATURE_INVALID',
  'UNVERIFIABLE',
]);

const WINDOW_SECONDS = 60;
/** At most one warning per tenant key (and one for all unknown keys) in this long. */
const WARNING_INTERVAL_MS = 60_000;
/** The warning's key for every unknown tenant key together (they are not worth one each). */
const UNKNOWN_TENANTS = '';

/** 429 to a tenant key past its limit of unverified deliveries. */
export class WebhookThrottledError extends RateLimitedError {
  constructor(retryAfterSeconds: number) {
    super(
      'TOO_MANY_UNVERIFIED_DELIVERIES',
      'Too many deliveries to this address could not be verified. Try again later.',
      retryAfterSeconds,
    );
  }
}

/**
 * Counts the webhook deliveries Omni refuses or cannot verify, instead of storing them: per
 * tenant key in Redis (a window of WINDOW_SECONDS, shared by every api instance), per reason
 * in this process (`counts`, for metrics), and in a warning at most once a minute per key.
 * Past the limit a key is throttled: its requests get 429 before any database work (see
 * FacebookWebhooksService.receive). Each instance learns that from its own next refusal, so
 * validly signed deliveries never wait for Redis.
 */
export class WebhookRefusals {
  /** Refusals since this process started, by reason. */
  readonly counts = new Map<WebhookRefusalReason, number>();
  private readonly unverifiedByKey: RateLimiterRedis;
  private readonly throttledUntil = new Map<string, number>();
  private readonly warnings = new Map<string, { lastAt: number; unreported: number }>();

  constructor(
    redis: Redis,
    redisPrefix: string,
    private readonly logger: Logger,
    private readonly limitPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {
    this.unverifiedByKey = createLimiter(redis, `${redisPrefix}:webhook-unverified`, {
      points: limitPerMinute,
      durationSeconds: WINDOW_SECONDS,
    });
  }

  /** Whether the key is past its limit; answered from memory. */
  isThrottled(tenantKey: string): boolean {
    const until = this.throttledUntil.get(tenantKey);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.throttledUntil.delete(tenantKey);
    return false;
  }

  /** Seconds until a throttled key is heard again (at least 1). */
  retryAfterSeconds(tenantKey: string): number {
    const until = this.throttledUntil.get(tenantKey) ?? this.now();
    return Math.max(1, Math.ceil((until - this.now()) / 1000));
  }

  /**
   * Counts a refused delivery of an existing tenant; true when its key is now throttled (the
   * caller answers 429 instead).
   */
  async record(
    tenant: { id: string; key: string },
    reason: WebhookRefusalReason,
  ): Promise<boolean> {
    this.count(tenant.key, reason, { tenantId: tenant.id });
    if (!COUNTED_TOWARDS_LIMIT.has(reason)) return this.isThrottled(tenant.key);
    try {
      await this.unverifiedByKey.consume(tenant.key);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      this.throttledUntil.set(tenant.key, this.now() + rejection.msBeforeNext);
    }
    return this.isThrottled(tenant.key);
  }

  /** Counts a request of a throttled key refused before anything was looked at. */
  recordThrottled(tenantKey: string): void {
    this.count(tenantKey, 'THROTTLED', {});
  }

  /** Counts a delivery to a key that is no tenant's. Nothing is kept per key: keys are free. */
  recordUnknownTenant(): void {
    this.count(UNKNOWN_TENANTS, 'UNKNOWN_TENANT', {});
  }

  private count(key: string, reason: WebhookRefusalReason, context: object): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    const warning = this.warnings.get(key) ?? { lastAt: -Infinity, unreported: 0 };
    warning.unreported++;
    this.warnings.set(key, warning);
    if (this.now() - warning.lastAt < WARNING_INTERVAL_MS) return;
    this.logger.warn(
      { ...context, reason, refusedSinceLastWarning: warning.unreported },
      'webhook deliveries refused (not stored)',
    );
    warning.lastAt = this.now();
    warning.unreported = 0;
  }
}
