import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlIn, sqlTransaction } from '../../db/sql.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { RunAgainLater } from '../../jobs/job-map.js';
import { appendToOutbox, type DispatchCommitted } from '../../outbox/outbox.js';
import { truncateCodePoints } from '../../text/truncate.js';
import { recordOmniAudit } from '../audit/audit-recorder.js';
import type { OutboundHttp, OutboundPolicy } from '../outbound-http/outbound-http.js';
import {
  OutboundWebhooksRepository,
  type AttemptRecord,
  type DeliveryToAttempt,
} from './outbound-webhooks.repository.js';
import { signWebhookBody } from './webhook-signature.js';
import { WEBHOOK_SUBSCRIPTION_SECRETS } from './webhook-subscription.entity.js';

/** An endpoint that answers nothing within this long has failed the attempt. */
export const WEBHOOK_TIMEOUT_MS = 10_000;
/** A subscription whose endpoint has failed every attempt for this long is disabled. */
export const WEBHOOK_FAILING_LIMIT_MS = 24 * 3600_000;
/** Of an answer, only this much is read (its status is all that counts). */
const MAX_ANSWER_BYTES = 64 * 1024;
const ERROR_CODE_POINTS = 500;

/**
 * The wait after the nth failed attempt: 10 s, 20 s, 40 s … doubling up to an hour, then
 * hourly, until the delivery's day is over (about 30 attempts in all).
 */
export function webhookRetryDelayMs(attempts: number): number {
  return Math.min(10_000 * 2 ** Math.max(attempts - 1, 0), 3600_000);
}

/** What a delivery attempt came to, for the metrics. */
export type WebhookAttemptResult = 'delivered' | 'retrying' | 'failed';

/**
 * Makes one attempt of a delivery ('webhook-delivery' job): POSTs its stored body, signed
 * with the subscription's secret, through the SSRF guard (the URL is checked again now, on
 * the addresses the request connects to), and records the answer. A failed attempt is
 * retried by the same job (its id is the delivery's) after webhookRetryDelayMs, until the
 * delivery's give-up time; an endpoint failing for WEBHOOK_FAILING_LIMIT_MS has its
 * subscription disabled, logged, and its admins mailed.
 *
 * PostgreSQL decides: a delivery that is no longer pending is not attempted, and an
 * attempt's outcome is written only over the state it started from.
 */
export class WebhookDeliverer {
  constructor(
    private readonly em: EntityManager,
    private readonly http: Pick<OutboundHttp, 'post'>,
    private readonly policy: Pick<OutboundPolicy, 'allowList'>,
    private readonly secrets: SecretBox,
    private readonly dispatchCommitted: DispatchCommitted,
    private readonly countResult: (result: WebhookAttemptResult) => void = () => {},
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async attempt(tenantId: string, deliveryId: string): Promise<void | RunAgainLater> {
    const repository = new OutboundWebhooksRepository(sqlIn(this.em.fork()));
    const delivery = await repository.findDelivery(tenantId, deliveryId);
    if (!delivery || delivery.status !== 'pending') return;
    if (!delivery.isSubscriptionEnabled) {
      await repository.failWithoutAttempt(tenantId, deliveryId, 'The webhook is turned off.');
      return;
    }
    const answer = await this.send(delivery);
    const now = this.clock();
    if (answer.isDelivered) {
      await sqlTransaction(this.em, async (sql) => {
        const repository = new OutboundWebhooksRepository(sql);
        const recorded = await repository.recordAttempt(tenantId, deliveryId, delivery.attempts, {
          status: 'delivered',
          responseStatus: answer.responseStatus,
          lastError: null,
          nextAttemptAt: null,
        });
        if (recorded) await repository.markSubscriptionHealthy(tenantId, delivery.subscriptionId);
      });
      this.countResult('delivered');
      return;
    }
    const delayMs = webhookRetryDelayMs(delivery.attempts + 1);
    const nextAttemptAt = new Date(now.getTime() + delayMs);
    const isGivingUp = nextAttemptAt > delivery.giveUpAt;
    const outcome: AttemptRecord = {
      status: isGivingUp ? 'failed' : 'pending',
      responseStatus: answer.responseStatus,
      lastError: answer.error,
      nextAttemptAt: isGivingUp ? null : nextAttemptAt,
    };
    const outboxEntryIds = await sqlTransaction(this.em, async (sql) => {
      const repository = new OutboundWebhooksRepository(sql);
      if (!(await repository.recordAttempt(tenantId, deliveryId, delivery.attempts, outcome)))
        return null;
      return this.disableWhenFailingTooLong(repository, sql, delivery, now);
    });
    if (outboxEntryIds === null) return; // changed meanwhile: whoever changed it goes on
    await this.dispatchCommitted(outboxEntryIds);
    if (outboxEntryIds.length > 0 || isGivingUp) {
      this.countResult('failed');
      return;
    }
    this.countResult('retrying');
    return { runAgainInMs: delayMs };
  }

  /** POSTs the delivery; whether a 2xx came back, and what to record otherwise. */
  private async send(
    delivery: DeliveryToAttempt,
  ): Promise<{ isDelivered: boolean; responseStatus: number | null; error: string | null }> {
    let secret: string;
    try {
      secret = this.secrets.open(delivery.secretSealed, {
        purpose: WEBHOOK_SUBSCRIPTION_SECRETS.secretSealed.purpose,
        rowId: delivery.subscriptionId,
      });
    } catch {
      return { isDelivered: false, responseStatus: null, error: 'The secret cannot be read.' };
    }
    try {
      const response = await this.http.post(
        delivery.url,
        {
          ...this.policy,
          maxBytes: MAX_ANSWER_BYTES,
          timeoutMs: WEBHOOK_TIMEOUT_MS,
          maxRedirects: 0,
        },
        {
          headers: {
            'content-type': 'application/json',
            'x-omni-event': delivery.event,
            'x-omni-delivery': delivery.id,
            'x-omni-signature': signWebhookBody(delivery.body, secret),
          },
          body: delivery.body,
        },
      );
      response.body.on('error', () => {}); // an answer cut at MAX_ANSWER_BYTES is fine
      response.body.resume();
      const isDelivered = response.status >= 200 && response.status < 300;
      return {
        isDelivered,
        responseStatus: response.status,
        error: isDelivered ? null : `The endpoint answered HTTP ${response.status}.`,
      };
    } catch (error) {
      return { isDelivered: false, responseStatus: null, error: describeFailure(error) };
    }
  }

  /**
   * After a failed attempt: the endpoint fails since its first failure after its last
   * success; past the limit, Omni disables the subscription (its pending deliveries fail),
   * records it in the audit log and asks for a mail to each admin, in this transaction.
   */
  private async disableWhenFailingTooLong(
    repository: OutboundWebhooksRepository,
    sql: Parameters<typeof appendToOutbox>[0],
    delivery: DeliveryToAttempt,
    now: Date,
  ): Promise<string[]> {
    const { tenantId, subscriptionId } = delivery;
    const failing = await repository.markSubscriptionFailing(tenantId, subscriptionId, now);
    if (!failing?.isEnabled) return [];
    if (now.getTime() - failing.failingSince.getTime() < WEBHOOK_FAILING_LIMIT_MS) return [];
    await repository.disableFailing(
      tenantId,
      subscriptionId,
      now,
      'The webhook was turned off: its endpoint failed for 24 hours.',
    );
    await recordOmniAudit(sql, tenantId, {
      action: 'webhook.disabled',
      target: { type: 'webhook', id: subscriptionId, name: delivery.url },
      changes: { enabled: { from: true, to: false } },
    });
    return appendToOutbox(
      sql,
      (await repository.adminIds(tenantId)).map((adminId) => ({
        tenantId,
        kind: 'mail-requested' as const,
        payload: { kind: 'webhook-disabled' as const, id: subscriptionId, recipientId: adminId },
      })),
    );
  }
}

/** Why an attempt got no answer, in words an admin reads in the delivery log. */
function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const cause =
    error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  const text =
    error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
      ? `No answer within ${WEBHOOK_TIMEOUT_MS / 1000} s.`
      : `${message}${cause}`;
  return truncateCodePoints(text.replaceAll('\u0000', ''), ERROR_CODE_POINTS);
}
