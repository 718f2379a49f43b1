import { Collection, EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { Department } from '../departments/department.entity.js';
import type { FacebookPage } from '../facebook/facebook-page.entity.js';
import type { Label } from '../labels/label.entity.js';
import type { User } from '../operators/user.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';
import type { Contact } from './contact.entity.js';

/**
 * choosing_department: new on a page with a department menu, held out of the queue until the
 * visitor picks a department (or types instead, twice); queued: waits for an operator;
 * assigned: an operator holds it; closed: done until the visitor writes again.
 */
export const CONVERSATION_STATUSES = [
  'choosing_department',
  'queued',
  'assigned',
  'closed',
] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

/**
 * Under the handover protocol, which app controls the visitor's thread: Omni (operators may
 * reply) or another app (a bot; Omni's sends are refused until it passes the thread).
 */
export const THREAD_CONTROLS = ['omni', 'other_app'] as const;
export type ThreadControl = (typeof THREAD_CONTROLS)[number];

/** A visitor's conversation with a page; a contact has at most one that is not closed. */
export class Conversation extends TenantOwnedEntity {
  status: ConversationStatus = 'queued';
  operator: User | null = null;
  /** Who held it last: a reopened conversation is offered to them first. */
  lastOperator: User | null = null;
  /** Did not answer in time after the dispatcher gave it to them: it goes to someone else. */
  timedOutOperator: User | null = null;
  queuedAt: Date | null = new Date();
  assignedAt: Date | null = null;
  closedAt: Date | null = null;
  lastMessageAt: Date | null = null;
  /** Visitor messages the holding operator has not opened yet. */
  unreadCount = 0;
  /** The satisfaction survey was sent for the close of this time (one per close). */
  csatRequestedAt: Date | null = null;
  /** The visitor's answer to the latest survey, 1–5, and when they gave it. */
  csatScore: number | null = null;
  csatAnsweredAt: Date | null = null;
  /** The visitor typed instead of choosing from the department menu, and was asked again. */
  departmentMenuRemindedAt: Date | null = null;
  /** null unless the page uses the handover protocol (FacebookPage.handoverEnabled). */
  threadControl: ThreadControl | null = null;
  /** The app that passed the thread to Omni, to pass it back to on close. */
  threadReturnAppId: string | null = null;
  /** Set as a whole (LabelsService.setOnConversation); read per page (labels.repository.ts). */
  readonly labels = new Collection<Label>(this);

  constructor(
    tenant: Tenant,
    public contact: Contact,
    public page: FacebookPage,
    public department: Department | null,
  ) {
    super(tenant);
  }
}

export const ConversationSchema = new EntitySchema<Conversation, TenantOwnedEntity>({
  class: Conversation,
  extends: 'TenantOwnedEntity',
  properties: {
    contact: { kind: 'm:1', entity: 'Contact', deleteRule: 'cascade' },
    page: { kind: 'm:1', entity: 'FacebookPage', deleteRule: 'cascade' },
    department: { kind: 'm:1', entity: 'Department', nullable: true, deleteRule: 'set null' },
    status: { enum: true, items: () => CONVERSATION_STATUSES, default: 'queued' },
    operator: { kind: 'm:1', entity: 'User', nullable: true, deleteRule: 'set null' },
    lastOperator: { kind: 'm:1', entity: 'User', nullable: true, deleteRule: 'set null' },
    timedOutOperator: { kind: 'm:1', entity: 'User', nullable: true, deleteRule: 'set null' },
    queuedAt: { type: 'datetime', nullable: true },
    assignedAt: { type: 'datetime', nullable: true },
    closedAt: { type: 'datetime', nullable: true },
    lastMessageAt: { type: 'datetime', nullable: true },
    unreadCount: { type: 'integer', default: 0 },
    csatRequestedAt: { type: 'datetime', nullable: true },
    csatScore: { type: 'smallint', nullable: true },
    csatAnsweredAt: { type: 'datetime', nullable: true },
    departmentMenuRemindedAt: { type: 'datetime', nullable: true },
    threadControl: { enum: true, items: () => THREAD_CONTROLS, nullable: true },
    threadReturnAppId: { type: 'string', length: 64, nullable: true },
    labels: { kind: 'm:n', entity: 'Label', pivotEntity: 'ConversationLabel' },
  },
  indexes: [
    {
      name: 'conversation_open_contact_unique',
      expression:
        'create unique index "conversation_open_contact_unique" on "conversation" ("contact_id") where "status" <> \'closed\'',
    },
    {
      name: 'conversation_tenant_status_queued_at_index',
      properties: ['tenant', 'status', 'queuedAt'],
    },
    // A contact's latest conversation, which a visitor's new message continues or reopens.
    { name: 'conversation_contact_created_at_index', properties: ['contact', 'createdAt'] },
    // An operator's load: the conversations they hold.
    { name: 'conversation_operator_status_index', properties: ['operator', 'status'] },
    // The reports: a tenant's satisfaction answers in a period.
    {
      name: 'conversation_tenant_csat_answered_at_index',
      expression:
        'create index "conversation_tenant_csat_answered_at_index" on "conversation" ("tenant_id", "csat_answered_at") where "csat_answered_at" is not null',
    },
  ],
});
