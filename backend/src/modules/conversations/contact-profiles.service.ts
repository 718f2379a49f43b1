import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../crypto/secret-box.js';
import { scopeToTenant, TENANT_FILTER } from '../../db/tenant-filter.js';
import type { GraphClient } from '../facebook/graph/graph-client.js';
import { GraphApiError } from '../facebook/graph/graph-errors.js';
import { Contact } from './contact.entity.js';
import { Conversation } from './conversation.entity.js';

/** Profile pictures are signed URLs that expire; names change. Refresh after this long. */
export const PROFILE_MAX_AGE_MS = 3 * 24 * 60 * 60 * 1000;

export function isProfileStale(contact: Contact, now: Date): boolean {
  return (
    !contact.profileFetchedAt ||
    now.getTime() - contact.profileFetchedAt.getTime() > PROFILE_MAX_AGE_MS
  );
}

/**
 * Fetches a visitor's name and photo from the User Profile API, in its own job so that a
 * slow or refusing Graph API never delays a message. A refusal leaves the readable
 * placeholder name; a dead token marks the page for its admin and is not retried.
 */
export class ContactProfilesService {
  constructor(
    private readonly em: EntityManager,
    private readonly graph: GraphClient,
    private readonly secrets: SecretBox,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Returns the ids of the contact's conversations, whose cards show the new name. */
  async refresh(contactId: string): Promise<string[]> {
    const contact = await this.em.findOne(Contact, contactId, {
      filters: { [TENANT_FILTER]: false },
      populate: ['page'],
    });
    if (!contact) return [];
    scopeToTenant(this.em, contact.tenant.id);
    const { page } = contact;
    try {
      const profile = await this.graph.getUserProfile(contact.psid, {
        accessToken: this.secrets.decrypt(page.accessTokenSealed),
        appSecret: this.secrets.decrypt(page.appSecretSealed),
      });
      contact.firstName = profile.firstName;
      contact.lastName = profile.lastName;
      contact.avatarUrl = profile.profilePicUrl;
      contact.profileStatus = profile.firstName || profile.lastName ? 'fetched' : 'unavailable';
    } catch (error) {
      if (!(error instanceof GraphApiError) || error.isRetryable) throw error; // BullMQ retries
      contact.profileStatus = 'unavailable';
      if (error.kind === 'invalid_token') {
        page.tokenValid = false;
        page.recordError(error.reason);
      }
    }
    contact.profileFetchedAt = this.clock();
    await this.em.flush();
    const conversations = await this.em.find(Conversation, { contact }, { fields: ['id'] });
    return conversations.map((conversation) => conversation.id);
  }
}
