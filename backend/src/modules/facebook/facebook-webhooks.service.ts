import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { GroupCommit } from '../../db/group-commit.js';
import { scopeToTenant } from '../../db/tenant-filter.js';
import { AppError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../errors.js';
import type { JobQueues } from '../../jobs/job-queues.js';
import type { Logger } from '../../logger.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { wakeInboundDrainers } from './inbound/inbound.service.js';
import { FacebookPage } from './facebook-page.entity.js';
import type { TenantSigningKeys, WebhookSigningKeys } from './webhook-signing-keys.js';

export type HandshakeQuery = { mode?: string; verifyToken?: string; challenge?: string };

/** A row of `webhook_event` as the webhook writes it (see WebhookEvent). */
type StoredDelivery = {
  id: string;
  tenantId: string;
  rawBody: string | null;
  pageIds: string[];
  ignoredReason: string | null;
};

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
    private readonly signingKeys: WebhookSigningKeys,
    private readonly queues: Pick<JobQueues, 'wake'>,
    private readonly logger: Logger,
  ) {}

  /**
   * Deliveries arriving together are stored by one multi-row INSERT and announced to the
   * workers once: per delivery, the ORM and the round trips cost more than the rest of the
   * acknowledgement.
   */
  private readonly storing = new GroupCommit<StoredDelivery>(async (deliveries) => {
    // Plain rows through the query builder: entities would cost more than the INSERT itself.
    await this.em
      .getKnex()('webhook_event')
      .insert(
        deliveries.map((delivery) => ({
          id: delivery.id,
          tenant_id: delivery.tenantId,
          raw_body: delivery.rawBody,
          page_ids: delivery.pageIds,
          status: delivery.ignoredReason ? 'ignored' : 'pending',
          ignored_reason: delivery.ignoredReason,
        })),
      );
    if (deliveries.some((delivery) => !delivery.ignoredReason)) this.wakeWorkers();
  });

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
    let keys = await this.signingKeys.lookup(tenantKey);
    if (!keys) throw new NotFoundError('The webhook address');
    const signature = SIGNATURE_HEADER.exec(signatureHeader ?? '')?.[1];
    if (!signature) {
      throw new UnauthenticatedError(
        'The delivery has no valid X-Hub-Signature-256 header.',
        'SIGNATURE_MISSING',
      );
    }
    const envelope = parseEnvelope(rawBody);
    const pageIds = [...new Set(envelope.entry.map((entry) => entry.id))];
    if (envelope.object !== 'page') {
      return this.ignore(keys.tenantId, pageIds, `UNSUPPORTED_OBJECT:${envelope.object}`);
    }

    let signedBy = pagesSigning(keys, pageIds, rawBody, signature);
    if (!signedBy?.length) {
      // A page added or a secret replaced a moment ago, possibly on another api instance.
      keys = await this.signingKeys.reloadAfterMiss(keys, tenantKey);
      signedBy = pagesSigning(keys, pageIds, rawBody, signature);
    }
    if (!signedBy) {
      // Not ours to process (a deleted page, another product of the same app): acknowledge,
      // so Facebook does not retry for an hour and unsubscribe, and keep a note of it.
      return this.ignore(keys.tenantId, pageIds, 'UNKNOWN_PAGE');
    }
    if (signedBy.length === 0) {
      throw new AppError(
        'SIGNATURE_INVALID',
        "The delivery's signature does not match the page's app secret.",
        403,
      );
    }
    const id = uuidv7();
    await this.storing.submit({
      id,
      tenantId: keys.tenantId,
      rawBody: rawBody.toString('utf8'),
      pageIds: signedBy,
      ignoredReason: null,
    });
    return { outcome: 'stored', eventId: id };
  }

  /** Only why is kept of a delivery not ours to process, never its unverified body. */
  private async ignore(tenantId: string, pageIds: string[], reason: string) {
    await this.storing.submit({
      id: uuidv7(),
      tenantId,
      rawBody: null,
      pageIds,
      ignoredReason: reason,
    });
    return { outcome: 'ignored' as const, reason };
  }

  /**
   * Not awaited: the deliveries are already safe in PostgreSQL, and Facebook must get its 200
   * even while Redis is down. If this wake-up never arrives, the sweeper sends another.
   */
  private wakeWorkers(): void {
    wakeInboundDrainers(this.queues).catch((error: unknown) =>
      this.logger.warn({ err: error }, 'could not wake the inbound workers; the sweeper will'),
    );
  }
}

/**
 * The pages of the tenant named in the delivery whose app secret produced its signature
 * (entries of one delivery come from one app, so normally all of them); null when it names
 * no page of the tenant at all.
 */
function pagesSigning(
  keys: TenantSigningKeys,
  pageIds: string[],
  rawBody: Buffer,
  signature: string,
): string[] | null {
  const known = pageIds.filter((pageId) => keys.appSecrets.has(pageId));
  if (known.length === 0) return null;
  return known.filter((pageId) =>
    isValidSignature(rawBody, signature, keys.appSecrets.get(pageId)!),
  );
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
