import { EntitySchema } from '@mikro-orm/core';
import type { Conversation } from '../conversations/conversation.entity.js';
import type { Department } from '../departments/department.entity.js';
import type { FacebookPage } from '../facebook/facebook-page.entity.js';
import type { User } from '../operators/user.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';

/**
 * One episode of a conversation (an open→close stretch, as the contact's episodes count
 * them) with the figures the reports add up. PostgreSQL keeps the rows itself: triggers on
 * `conversation_event`, `message` and `conversation` (migration 20261203171000) fold each
 * new line into the conversation's latest episode, whichever code wrote it. The application
 * only reads them (reports.repository.ts), so a 90-day report is one indexed range scan.
 */
export class ReportEpisode {
  /** The id of the event that opened it. */
  id!: string;
  tenant!: Tenant;
  conversation!: Conversation;
  page!: FacebookPage;
  /** The department it entered (the opening event's). */
  department!: Department | null;
  /** Who served it: the last operator it was given to, else who held it when it closed. */
  operator!: User | null;
  /** When the visitor's message put it in the queue, or an operator reopened it to follow up. */
  openedAt!: Date;
  /** Opened by entering the queue (false: an operator's follow-up, which never waited). */
  isQueued!: boolean;
  /** What came right after the opening queue entry, and when: the entry's outcome. */
  entryNextType!: string | null;
  entryNextAt!: Date | null;
  firstAssignedAt!: Date | null;
  /** The first reply an operator wrote from Omni after it opened. */
  firstReplyAt!: Date | null;
  lastEventType!: string;
  closedAt!: Date | null;
  closedWhileWaiting!: boolean;
  /** The latest visitor message (a reaction too: any message renews Messenger's window). */
  lastVisitorAt!: Date | null;
  /** The oldest visitor message no reply has answered yet (null: all answered). */
  unansweredSince!: Date | null;
  /** A reply window already expired with a message unanswered (a later one may too). */
  windowExpiredUnanswered!: boolean;
  csatRequestedAt!: Date | null;
  csatScore!: number | null;
  csatAnsweredAt!: Date | null;
}

export const ReportEpisodeSchema = new EntitySchema<ReportEpisode>({
  class: ReportEpisode,
  properties: {
    id: { type: 'uuid', primary: true },
    tenant: { kind: 'm:1', entity: 'Tenant', deleteRule: 'cascade' },
    conversation: { kind: 'm:1', entity: 'Conversation', deleteRule: 'cascade' },
    page: { kind: 'm:1', entity: 'FacebookPage', deleteRule: 'cascade' },
    department: { kind: 'm:1', entity: 'Department', nullable: true, deleteRule: 'set null' },
    operator: { kind: 'm:1', entity: 'User', nullable: true, deleteRule: 'set null' },
    openedAt: { type: 'datetime' },
    isQueued: { type: 'boolean' },
    entryNextType: { type: 'string', length: 16, nullable: true },
    entryNextAt: { type: 'datetime', nullable: true },
    firstAssignedAt: { type: 'datetime', nullable: true },
    firstReplyAt: { type: 'datetime', nullable: true },
    lastEventType: { type: 'string', length: 16 },
    closedAt: { type: 'datetime', nullable: true },
    closedWhileWaiting: { type: 'boolean', default: false },
    lastVisitorAt: { type: 'datetime', nullable: true },
    unansweredSince: { type: 'datetime', nullable: true },
    windowExpiredUnanswered: { type: 'boolean', default: false },
    csatRequestedAt: { type: 'datetime', nullable: true },
    csatScore: { type: 'smallint', nullable: true },
    csatAnsweredAt: { type: 'datetime', nullable: true },
  },
  indexes: [
    // The reports: a tenant's episodes opened in a period.
    { name: 'report_episode_tenant_opened_at_index', properties: ['tenant', 'openedAt'] },
    // The triggers: a conversation's latest episode.
    {
      name: 'report_episode_conversation_opened_at_index',
      properties: ['conversation', 'openedAt'],
    },
  ],
});
