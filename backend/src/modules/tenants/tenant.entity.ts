import { randomBytes } from 'node:crypto';
import { EntitySchema } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';

export const DEFAULT_MAX_CHATS = 5;
/** The unanswered-message reminder's threshold unless the tenant sets another. */
export const DEFAULT_UNANSWERED_REMINDER_SECONDS = 120;

/** The languages Omni speaks to visitors in (the panel's own three). */
export const TENANT_LANGUAGES = ['en', 'ru', 'bn'] as const;
export type TenantLanguage = (typeof TENANT_LANGUAGES)[number];

/** A business using Omni. Its `key` is public (it is in the webhook URL) but unguessable. */
export class Tenant extends BaseEntity {
  key: string = generateTenantKey();
  defaultMaxChats: number = DEFAULT_MAX_CHATS;
  /**
   * A chat the dispatcher assigned goes back to the queue (and to someone else) when its
   * operator has not answered within this many seconds; null: never.
   */
  firstResponseTimeoutSeconds: number | null = null;
  /** The language of the automatic messages visitors get. */
  language: TenantLanguage = 'en';
  /**
   * An assigned chat whose visitor wrote nothing for this many minutes (counted from the
   * later of their last message and the assignment) closes by itself; null: never.
   */
  autoCloseAfterMinutes: number | null = null;
  /** After this long, an unanswered visitor message in a held chat makes the panel remind. */
  unansweredReminderSeconds: number = DEFAULT_UNANSWERED_REMINDER_SECONDS;
  /** Tell a visitor who starts waiting their place in the queue and the expected wait. */
  queueNoticeEnabled = false;
  /** Tell a visitor who starts waiting when nobody of the department is online. */
  offlineNoticeEnabled = false;
  /** Ask the visitor for a 1–5 rating when their chat closes inside the reply window. */
  csatEnabled = false;
  /** The survey's question; null: the default one in the tenant's language. */
  csatQuestion: string | null = null;
  /**
   * Where a visitor asks for their data to be deleted, besides writing to the page: an
   * e-mail address or a web address, shown on the public data-deletion page.
   */
  privacyContact: string | null = null;
  /** Admins must sign in with a second factor; those without one set it up first. */
  require2faForAdmins = false;
  /** The business's IANA time zone: the reports' days begin at its midnight. */
  timezone = 'UTC';
  /** The demo business (npm run demo:seed): its sandbox page, simulator and App Review kit. */
  isDemo = false;

  constructor(public name: string) {
    super();
  }

  /** The URL a tenant pastes into its Facebook app as the webhook callback. */
  callbackUrl(publicUrl: string): string {
    return `${publicUrl}/api/webhooks/facebook/${this.key}`;
  }

  /** The public page telling a visitor how to have their data deleted (Meta's data-deletion URL). */
  dataDeletionUrl(publicUrl: string): string {
    return `${publicUrl}/data-deletion/${this.key}`;
  }

  /** Where Facebook's data deletion request callback (a signed_request) is sent. */
  dataDeletionCallbackUrl(publicUrl: string): string {
    return `${this.callbackUrl(publicUrl)}/data-deletion`;
  }
}

/** 144 random bits, URL-safe: as hard to guess as a UUIDv4, shorter in a URL. */
function generateTenantKey(): string {
  return randomBytes(18).toString('base64url');
}

export const TenantSchema = new EntitySchema<Tenant, BaseEntity>({
  class: Tenant,
  extends: 'BaseEntity',
  properties: {
    name: { type: 'string', length: 200 },
    key: { type: 'string', length: 64, unique: true },
    defaultMaxChats: { type: 'integer', default: DEFAULT_MAX_CHATS },
    firstResponseTimeoutSeconds: { type: 'integer', nullable: true },
    language: { enum: true, items: () => TENANT_LANGUAGES, default: 'en' },
    autoCloseAfterMinutes: { type: 'integer', nullable: true },
    unansweredReminderSeconds: { type: 'integer', default: DEFAULT_UNANSWERED_REMINDER_SECONDS },
    queueNoticeEnabled: { type: 'boolean', default: false },
    offlineNoticeEnabled: { type: 'boolean', default: false },
    require2faForAdmins: { type: 'boolean', default: false },
    csatEnabled: { type: 'boolean', default: false },
    csatQuestion: { type: 'string', length: 640, nullable: true },
    timezone: { type: 'string', length: 64, default: 'UTC' },
    privacyContact: { type: 'string', length: 320, nullable: true },
    isDemo: { type: 'boolean', default: false },
  },
});
