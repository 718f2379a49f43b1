import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import type { SecretBox } from '../../crypto/secret-box.js';
import { scopeToTenant } from '../../db/tenant-filter.js';
import { AppError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../errors.js';
import type { JobQueues } from '../../jobs/job-queues.js';
import type { Logger } from '../../logger.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { FacebookPage } from './facebook-page.entity.js';
import { WebhookEvent } from './webhook-event.entity.js';

export type HandshakeQuery = { mode?: string; verifyToken?: string; challenge?: string };

export type ReceivedDelivery =
  { outcome: 'stored'; eventId: string } | { outcome: 'ignored'; reason: string };

/** Only the envelope is checked here; entries are parsed by the worker that processes them. */
const deliveryEnvelopeSchema = z.object({
  object: z.string(),
  entry: z
    .array(z.object({ id: z.union([z.string(), z.number()]).transform(String) }).loose())
    .min(1),
});

const SIGNATURE_HEADER = /^sha256=([0-9a-f]{64})$/i;

/**
 * The public webhook of a tenant (`/api/webhooks/facebook/:tenantKey`): Facebook's GET
 * handshake, and POSTed deliveries verified with the page's app secret and stored before
 * they are acknowledged. No Graph call and no per-message work happens here.
 */
export class FacebookWebhooksService {
  constructor(
    private readonly em: EntityManager,
    private readonly secrets: SecretBox,
    private readonly queues: Pick<JobQueues, 'enqueue'>,
    private readonly logger: Logger,
  ) {}

  /**
   * Answers the handshake with the challenge when the token is the confirmation code of one
   * of the tenant's pages, and records on those pages that Facebook verified the webhook.
   */
  async confirmSubscription(tenantKey: string, query: HandshakeQuery): Promise<string> {
    const refusal = new ForbiddenError(
      'The verify token does not match any page of this workspace.',
    );
    const tenant = await this.em.findOne(Tenant, { key: tenantKey });
    if (!tenant || query.mode !== 'subscribe' || !query.verifyToken || !query.challenge)
      throw refusal;
    scopeToTenant(this.em, tenant.id);
    const pages = await this.em.find(FacebookPage, {});
    const matching = pages.filter((page) => isSameSecret(page.verifyToken, query.verifyToken!));
    if (matching.length === 0) throw refusal;
    const now = new Date();
    for (const page of matching) page.webhookVerifiedAt = now;
    await this.em.flush();
    return query.challenge;
  }

  /**
   * Verifies `X-Hub-Signature-256` over the exact bytes received with the app secret of the
   * pages the entries name, and commits the delivery before the caller acknowledges it.
   */
  async receive(
    tenantKey: string,
    rawBody: Buffer,
    signatureHeader: string | undefined,
  ): Promise<ReceivedDelivery> {
    const tenant = await this.em.findOne(Tenant, { key: tenantKey });
    if (!tenant) throw new NotFoundError('The webhook address');
    const signature = SIGNATURE_HEADER.exec(signatureHeader ?? '')?.[1];
    if (!signature) {
      throw new UnauthenticatedError(
        'The delivery has no valid X-Hub-Signature-256 header.',
        'SIGNATURE_MISSING',
      );
    }
    const envelope = parseEnvelope(rawBody);
    scopeToTenant(this.em, tenant.id);

    const pageIds = [...new Set(envelope.entry.map((entry) => entry.id))];
    const pages =
      envelope.object === 'page'
        ? await this.em.find(FacebookPage, { pageId: { $in: pageIds } })
        : [];
    if (pages.length === 0) {
      // Not ours to process (a deleted page, another product of the same app): acknowledge,
      // so Facebook does not retry for an hour and unsubscribe, and keep a note of it.
      const reason =
        envelope.object === 'page' ? 'UNKNOWN_PAGE' : `UNSUPPORTED_OBJECT:${envelope.object}`;
      await this.em.persist(new WebhookEvent(tenant, null, pageIds, reason)).flush();
      return { outcome: 'ignored', reason };
    }

    const signedBy = pages.filter((page) =>
      isValidSignature(rawBody, signature, this.secrets.decrypt(page.appSecretSealed)),
    );
    if (signedBy.length === 0) {
      throw new AppError(
        'SIGNATURE_INVALID',
        "The delivery's signature does not match the page's app secret.",
        403,
      );
    }
    const event = new WebhookEvent(
      tenant,
      rawBody.toString('utf8'),
      signedBy.map((page) => page.pageId),
    );
    await this.em.persist(event).flush();
    this.enqueueProcessing(event.id);
    return { outcome: 'stored', eventId: event.id };
  }

  /**
   * Not awaited: the delivery is already safe in PostgreSQL, and Facebook must get its 200
   * even while Redis is down. If this enqueue never happens, the sweeper does it.
   */
  private enqueueProcessing(eventId: string): void {
    this.queues
      .enqueue('inbound-event', { eventId }, { jobId: eventId })
      .catch((error: unknown) =>
        this.logger.warn(
          { err: error, eventId },
          'could not enqueue a webhook event; the sweeper will',
        ),
      );
  }
}

function parseEnvelope(rawBody: Buffer): z.infer<typeof deliveryEnvelopeSchema> {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new AppError('INVALID_JSON', 'The delivery is not valid JSON.', 400);
  }
  const envelope = deliveryEnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    throw new AppError(
      'INVALID_PAYLOAD',
      'The delivery is not a Messenger webhook payload ({"object", "entry": […]}).',
      400,
    );
  }
  return envelope.data;
}

/** HMAC-SHA256 of the exact bytes, compared in constant time. */
export function isValidSignature(
  rawBody: Buffer,
  signatureHex: string,
  appSecret: string,
): boolean {
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  const received = Buffer.from(signatureHex, 'hex');
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** Constant-time equality that does not reveal the length either (both sides hashed first). */
function isSameSecret(expected: string, received: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(expected), digest(received));
}
