import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../crypto/secret-box.js';
import { flushWith } from '../../db/sql.js';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import {
  appendToOutbox,
  conversationsChanged,
  type OutboxWrite,
  type DispatchCommitted,
} from '../../outbox/outbox.js';
import type { GraphClient } from '../facebook/graph/graph-client.js';
import { pageTokenRefused } from '../facebook/page-token-refusal.js';
import { GraphApiError } from '../facebook/graph/graph-errors.js';
import { imageUrlOrNull } from '../outbound-http/web-urls.js';
import { Contact } from './contact.entity.js';
import { Conversation } from './conversation.entity.js';

/** Profile pictures are signed URLs that expire; names change. Refresh after this long. */
export const PROFILE_MAX_AGE_MS = 3 * 24 * 60 * 60 * 1000;

/** A fetch asked for but not done after this long is asked for again (its job failed). */
export const PROFILE_REQUEST_TIMEOUT_MS = 10 * 60 * 1000;

/** Whether a visitor's new event should ask for their profile: missing or old, and not asked for lately. */
export function needsProfile(
  contact: Pick<Contact, 'profileFetchedAt' | 'profileRequestedAt'>,
  now: Date,
): boolean {
  const age = (at: Date | null) => (at ? now.getTime() - at.getTime() : Infinity);
  return (
    age(contact.profileFetchedAt) > PROFILE_MAX_AGE_MS &&
    age(contact.profileRequestedAt) > PROFILE_REQUEST_TIMEOUT_MS
  );
}

/** Jobs that try a visitor's profile again after a failure that may pass (5 s, 10 s apart). */
export const PROFILE_FETCH_ATTEMPTS = 3;

/** Graph calls made at once by one refresh: the API is slow next to everything else here. */
const PARALLEL_FETCHES = 8;

export type RefreshedProfiles = {
  /** Contacts whose fetch failed in a way that may pass (a timeout, a 5xx): try again later. */
  retry: string[];
};

/**
 * Fetches visitors' names and photos from the User Profile API, in jobs of their own so that
 * a slow or refusing Graph API never delays a message. One job takes all the new visitors of
 * an inbound batch: the calls run side by side and the rows are written in one flush, with
 * a 'conversations-changed' outbox entry per tenant for the cards that show them. A refusal
 * leaves the readable placeholder name; a dead token marks the page for its admin.
 */
export class ContactProfilesService {
  constructor(
    private readonly em: EntityManager,
    private readonly graph: GraphClient,
    private readonly secrets: SecretBox,
    private readonly dispatchCommitted: DispatchCommitted,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async refresh(contactIds: string[]): Promise<RefreshedProfiles> {
    const contacts = await this.em.find(
      Contact,
      { id: { $in: contactIds } },
      { filters: { [TENANT_FILTER]: false }, populate: ['page'] },
    );
    const retry: string[] = [];
    /** Pages whose token Facebook refused, by id: page health opens their incidents. */
    const refusals = new Map<string, OutboxWrite>();
    for (let start = 0; start < contacts.length; start += PARALLEL_FETCHES) {
      const chunk = contacts.slice(start, start + PARALLEL_FETCHES);
      const outcomes = await Promise.all(chunk.map((contact) => this.fetchInto(contact, refusals)));
      chunk.forEach((contact, index) => outcomes[index] === 'retry' && retry.push(contact.id));
    }
    const fetched = contacts.filter((contact) => !retry.includes(contact.id));
    const conversations = await this.em.find(
      Conversation,
      { contact: { $in: fetched.map((contact) => contact.id) } },
      { filters: { [TENANT_FILTER]: false }, fields: ['id', 'tenant'] },
    );
    const byTenant = new Map<string, string[]>();
    for (const conversation of conversations) {
      const tenantId = conversation.tenant.id;
      byTenant.set(tenantId, [...(byTenant.get(tenantId) ?? []), conversation.id]);
    }
    const outboxEntryIds = await flushWith(this.em, (sql) =>
      appendToOutbox(sql, [
        ...[...byTenant].map(([tenantId, conversationIds]) =>
          conversationsChanged(tenantId, { conversationIds }),
        ),
        ...refusals.values(),
      ]),
    );
    await this.dispatchCommitted(outboxEntryIds);
    return { retry };
  }

  private async fetchInto(
    contact: Contact,
    refusals: Map<string, OutboxWrite>,
  ): Promise<'done' | 'retry'> {
    const { page } = contact;
    try {
      const profile = await this.graph.getUserProfile(
        contact.psid,
        page.openCredentials(this.secrets),
      );
      contact.firstName = profile.firstName;
      contact.lastName = profile.lastName;
      contact.avatarUrl = imageUrlOrNull(profile.profilePicUrl);
      contact.profileStatus = profile.firstName || profile.lastName ? 'fetched' : 'unavailable';
    } catch (error) {
      if (!(error instanceof GraphApiError) || error.isRetryable) return 'retry';
      contact.profileStatus = 'unavailable';
      if (error.kind === 'invalid_token') {
        page.tokenValid = false;
        page.recordError(error.reason);
        refusals.set(page.id, pageTokenRefused(page.tenant.id, page.id, error.reason));
      }
    }
    contact.profileFetchedAt = this.clock();
    return 'done';
  }
}
