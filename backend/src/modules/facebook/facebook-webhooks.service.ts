import { createHmac, timingSafeEqual } from 'node:crypto';
import { isSameSecret } from '../../crypto/same-secret.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { GroupCommit } from '../../db/group-commit.js';
import { isRejectedContent } from '../../db/sql.js';
import { scopeToTenant } from '../../db/tenant-filter.js';
import { AppError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../errors.js';
import type { JobQueues } from '../../jobs/job-queues.js';
import type { Logger } from '../../logger.js';
import { truncateCodePoints } from '../../text/truncate.js';
import { wakeInboundDrainers } from './inbound/inbound.service.js';
import { FacebookPage } from './facebook-page.entity.js';
import { keepEntriesOf } from './webhook-event-records.js';
import { boundReason } from './webhook-event.entity.js';
import {
  WebhookThrottledError,
  type WebhookRefusalReason,
  type WebhookRefusals,
} from './webhook-refusals.js';
import type { TenantSigningKeys, WebhookSigningKeys } from './webhook-signing-keys.js';

export type HandshakeQuery = { mode?: string; verifyToken?: string; challenge?: string };

/** A row of `webhook_event` as the webhook writes it (see WebhookEvent). */
type StoredDelivery = {
  id: string;
  tenantId: string;
  rawBody: Buffer | null;
  pageIds: string[];
  ignoredReason: string | null;
};

export type ReceivedDelivery =
  | { outcome: 'stored'; eventId: string }
  | { outcome: 'ignored'; reason: string }
  | { outcome: 'acknowledged'; reason: WebhookRefusalReason };

/** What the service reports of every delivery, for /metrics (in memory: no I/O per delivery). */
export type WebhookCounters = {
  received: () => void;
  verified: (outcome: 'stored' | 'ignored') => void;
  refused: (reason: WebhookRefusalReason) => void;
};

/** What checking a delivery decided, before anything is stored or counted. */
type Verdict =
  | { kind: 'process'; pageIds: string[]; rawBody: Buffer }
  /** Signed by the tenant's app but nothing Omni processes: a row says why, without the body. */
  | { kind: 'ignore'; pageIds: string[]; reason: string }
  /** Not stored; counted; answered with `error`, or 200 when there is none. */
  | { kind: 'refuse'; reason: WebhookRefusalReason; error?: AppError };

/** Who produced a delivery's signature, as far as the tenant's app secrets can tell. */
type Signer =
  | { kind: 'pages'; pageIds: string[] }
  | { kind: 'not-the-pages' }
  | { kind: 'tenant-app' }
  | { kind: 'nobody' };

/** Of an ignored delivery's page ids, these many are kept (each cut like a diagnosis). */
const IGNORED_PAGE_IDS_KEPT = 20;
const PAGE_ID_CODE_POINTS = 100;

/**
 * Facebook page ids are digits (`facebook_page.page_id` is varchar(64)); an entry naming
 * anything else is of no page here, whatever it holds (U+0000 included), and is not kept.
 */
const PAGE_ID_PATTERN = /^\d{1,64}$/;

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
    private readonly refusals: WebhookRefusals,
    private readonly queues: Pick<JobQueues, 'wake'>,
    private readonly logger: Logger,
    private readonly counters: WebhookCounters,
  ) {}

  /**
   * Deliveries arriving together are stored by one multi-row INSERT and announced to the
   * workers once: per delivery, the ORM and the round trips cost more than the rest of the
   * acknowledgement. A row PostgreSQL refuses for its values fails its own delivery only.
   */
  private readonly storing = new GroupCommit<StoredDelivery>(
    (deliveries) => this.insertDeliveries(deliveries),
    { isRowError: isRejectedContent },
  );

  private async insertDeliveries(deliveries: StoredDelivery[]): Promise<void> {
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
  }

  /**
   * Answers the handshake with the challenge when the token is the confirmation code of one
   * of the tenant's pages, and records on those pages that Facebook verified the webhook.
   */
  async confirmSubscription(tenantKey: string, query: HandshakeQuery): Promise<string> {
    const refusal = new ForbiddenError(
      'The verify token does not match any page of this workspace.',
    );
    if (query.mode !== 'subscribe' || !query.verifyToken || !query.challenge) throw refusal;
    // The signing keys' cache knows unknown keys too: a flood of them costs no query each.
    const tenant = await this.signingKeys.lookup(tenantKey);
    if (!tenant) throw refusal;
    scopeToTenant(this.em, tenant.tenantId);
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
   * Nothing that cannot be verified is stored: it is counted (WebhookRefusals), and a tenant
   * key past its limit of such deliveries gets 429 without any database work.
   */
  async receive(
    tenantKey: string,
    rawBody: Buffer,
    signatureHeader: string | undefined,
  ): Promise<ReceivedDelivery> {
    this.counters.received();
    const received = await this.verifyAndStore(tenantKey, rawBody, signatureHeader);
    if (received.outcome !== 'acknowledged') this.counters.verified(received.outcome);
    return received;
  }

  private async verifyAndStore(
    tenantKey: string,
    rawBody: Buffer,
    signatureHeader: string | undefined,
  ): Promise<ReceivedDelivery> {
    // While throttled only the keys this process holds may verify a delivery (no query), so
    // Facebook's own deliveries still get through a flood of forged ones.
    const isThrottled = this.refusals.isThrottled(tenantKey);
    const keys = isThrottled
      ? this.signingKeys.cached(tenantKey)
      : await this.signingKeys.lookup(tenantKey);
    if (!keys && isThrottled) {
      this.refusals.recordThrottled(tenantKey);
      this.counters.refused('THROTTLED');
      throw new WebhookThrottledError(this.refusals.retryAfterSeconds(tenantKey));
    }
    if (!keys) {
      this.refusals.recordUnknownTenant();
      this.counters.refused('UNKNOWN_TENANT');
      throw new NotFoundError('The webhook address');
    }

    const verdict = await this.check(keys, tenantKey, rawBody, signatureHeader, !isThrottled);
    if (verdict.kind === 'refuse') {
      const tenant = { id: keys.tenantId, key: tenantKey };
      this.counters.refused(verdict.reason);
      if (await this.refusals.record(tenant, verdict.reason))
        throw new WebhookThrottledError(this.refusals.retryAfterSeconds(tenantKey));
      if (verdict.error) throw verdict.error;
      return { outcome: 'acknowledged', reason: verdict.reason };
    }
    const id = uuidv7();
    if (verdict.kind === 'ignore') {
      // Only why is kept of a delivery not ours to process, never its body.
      await this.storing.submit({
        id,
        tenantId: keys.tenantId,
        rawBody: null,
        pageIds: verdict.pageIds,
        ignoredReason: verdict.reason,
      });
      return { outcome: 'ignored', reason: verdict.reason };
    }
    try {
      await this.storing.submit({
        id,
        tenantId: keys.tenantId,
        rawBody: verdict.rawBody,
        pageIds: verdict.pageIds,
        ignoredReason: null,
      });
    } catch (error) {
      if (!isRejectedContent(error)) throw error; // the database is down: 500, Facebook retries
      return this.ignoreUnstorable(keys.tenantId, error);
    }
    return { outcome: 'stored', eventId: id };
  }

  /**
   * A verified delivery PostgreSQL refused for its content. The same bytes would be refused
   * again, and Facebook disables a webhook that keeps failing, cutting off every page of the
   * app: it is acknowledged, and a row without its body or page ids (whatever was refused)
   * says why. Checks upstream are meant to make this unreachable.
   */
  private async ignoreUnstorable(tenantId: string, error: unknown): Promise<ReceivedDelivery> {
    const code = (error as { code?: string }).code;
    this.logger.warn({ err: error, tenantId }, 'a verified webhook delivery could not be stored');
    const reason = `UNSTORABLE:${code}`;
    await this.storing.submit({
      id: uuidv7(),
      tenantId,
      rawBody: null,
      pageIds: [],
      ignoredReason: reason,
    });
    return { outcome: 'ignored', reason };
  }

  private async check(
    cachedKeys: TenantSigningKeys,
    tenantKey: string,
    rawBody: Buffer,
    signatureHeader: string | undefined,
    mayReloadKeys: boolean,
  ): Promise<Verdict> {
    const signature = SIGNATURE_HEADER.exec(signatureHeader ?? '')?.[1];
    if (!signature) {
      const error = new UnauthenticatedError(
        'The delivery has no valid X-Hub-Signature-256 header.',
        'SIGNATURE_MISSING',
      );
      return { kind: 'refuse', reason: 'SIGNATURE_MISSING', error };
    }
    const envelope = parseEnvelope(rawBody);
    if (envelope instanceof AppError)
      return { kind: 'refuse', reason: 'MALFORMED', error: envelope };
    const entryIds = new Set(envelope.entry.map((entry) => entry.id));
    const pageIds = [...entryIds].filter((id) => PAGE_ID_PATTERN.test(id));

    const verify = (keys: TenantSigningKeys) =>
      whoSigned(keys, envelope.object, pageIds, rawBody, signature);
    let signer = verify(cachedKeys);
    if ((signer.kind === 'not-the-pages' || signer.kind === 'nobody') && mayReloadKeys) {
      // A page added or a secret replaced a moment ago, possibly on another api instance.
      signer = verify(await this.signingKeys.reloadAfterMiss(cachedKeys, tenantKey));
    }

    if (envelope.object !== 'page') {
      if (signer.kind === 'nobody') return { kind: 'refuse', reason: 'UNVERIFIABLE' };
      const reason = boundReason(`UNSUPPORTED_OBJECT:${envelope.object}`);
      return { kind: 'ignore', pageIds: boundPageIds(pageIds), reason };
    }
    switch (signer.kind) {
      case 'pages': {
        const signedBy = new Set(signer.pageIds);
        // Entries of pages the tenant does not have here (deleted ones, say) are not kept:
        // the bytes are stored exactly as signed only when every entry is the tenant's.
        const kept =
          signedBy.size === entryIds.size
            ? rawBody
            : Buffer.from(
                keepEntriesOf(rawBody.toString('utf8'), (pageId) => signedBy.has(pageId))!,
              );
        return { kind: 'process', pageIds: signer.pageIds, rawBody: kept };
      }
      case 'not-the-pages': {
        const error = new AppError(
          'SIGNATURE_INVALID',
          "The delivery's signature does not match the page's app secret.",
          403,
        );
        return { kind: 'refuse', reason: 'SIGNATURE_INVALID', error };
      }
      // Facebook signs with the app secret, which Omni knows only through the tenant's pages:
      // a delivery for a page the tenant does not have here (deleted in Omni but still
      // subscribed, or another product of the app) can be verified only when another of its
      // pages shares the app. Either way it is answered 200 and not stored: Facebook retries
      // a refused delivery for hours and disables a webhook that keeps failing, which would
      // cut off the tenant's other pages of that app. Unverifiable ones count towards the
      // key's limit, so a forged flood of them ends in 429.
      case 'tenant-app':
        return { kind: 'refuse', reason: 'UNKNOWN_PAGE' };
      case 'nobody':
        return { kind: 'refuse', reason: 'UNVERIFIABLE' };
    }
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
 * For a Messenger delivery naming pages of the tenant: those whose app secret produced the
 * signature (entries of one delivery come from one app, so normally all of them). Otherwise
 * (no page of the tenant, or another object): whether any of the tenant's app secrets did.
 */
function whoSigned(
  keys: TenantSigningKeys,
  object: string,
  pageIds: string[],
  rawBody: Buffer,
  signature: string,
): Signer {
  const known = object === 'page' ? pageIds.filter((pageId) => keys.appSecrets.has(pageId)) : [];
  if (known.length > 0) {
    const signedBy = known.filter((pageId) =>
      isValidSignature(rawBody, signature, keys.appSecrets.get(pageId)!),
    );
    return signedBy.length > 0 ? { kind: 'pages', pageIds: signedBy } : { kind: 'not-the-pages' };
  }
  const appSecrets = new Set(keys.appSecrets.values());
  return [...appSecrets].some((secret) => isValidSignature(rawBody, signature, secret))
    ? { kind: 'tenant-app' }
    : { kind: 'nobody' };
}

function boundPageIds(pageIds: string[]): string[] {
  return pageIds
    .slice(0, IGNORED_PAGE_IDS_KEPT)
    .map((pageId) => truncateCodePoints(pageId, PAGE_ID_CODE_POINTS));
}

/** The envelope, or the error that says why the body is not one. */
function parseEnvelope(rawBody: Buffer): z.infer<typeof deliveryEnvelopeSchema> | AppError {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return new AppError('INVALID_JSON', 'The delivery is not valid JSON.', 400);
  }
  const envelope = deliveryEnvelopeSchema.safeParse(json);
  if (!envelope.success) {
    return new AppError(
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
