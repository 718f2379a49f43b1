import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { Conversation } from './conversation.entity.js';
import type { Department } from '../departments/department.entity.js';
import type { User } from '../operators/user.entity.js';
import type { Tenant } from '../tenants/tenant.entity.js';

/** What happened to a conversation in the queue. */
export const CONVERSATION_EVENT_TYPES = [
  'queued', // entered the queue: new, reopened by the visitor, transferred to a department
  'assigned', // given to an operator by the dispatcher
  'taken', // an operator took it from the queue
  'transferred', // handed to another operator
  'requeued', // back to the queue without a transfer (operator offline, lost connection)
  'closed', // closed by hand, or by itself after the visitor's silence (reason 'inactivity')
  'reopened', // a closed one taken back by an operator to follow up (reason 'follow_up')
] as const;
export type ConversationEventType = (typeof CONVERSATION_EVENT_TYPES)[number];

/** Why it happened, for the log the panel shows and the queue figures. */
export const CONVERSATION_EVENT_REASONS = [
  'new_conversation',
  'visitor_wrote',
  'automatic',
  'previous_operator',
  'manual',
  'transfer',
  'operator_offline',
  'connection_lost',
  'first_response_timeout',
  'follow_up',
  'inactivity',
  'steered', // an admin or supervisor gave it to an operator (POST …/assign)
  'department_chosen', // the visitor picked a department from the page's menu
  'department_menu_skipped', // typed instead of choosing, or the menu could not be sent
  'thread_passed', // the page's primary app (a bot) passed the thread to Omni (handover)
] as const;
export type ConversationEventReason = (typeof CONVERSATION_EVENT_REASONS)[number];

/**
 * One line of a conversation's queue history: who did what, when and why. Names are kept
 * as they were, so the log still reads right after an operator is renamed or deleted.
 */
export class ConversationEvent extends TenantOwnedEntity {
  actor: User | null = null;
  actorName: string | null = null;
  operator: User | null = null;
  operatorName: string | null = null;
  department: Department | null = null;

  constructor(
    tenant: Tenant,
    public conversation: Conversation,
    public type: ConversationEventType,
    public reason: ConversationEventReason,
    public occurredAt: Date,
  ) {
    super(tenant);
  }
}

export const ConversationEventSchema = new EntitySchema<ConversationEvent, TenantOwnedEntity>({
  class: ConversationEvent,
  extends: 'TenantOwnedEntity',
  properties: {
    conversation: { kind: 'm:1', entity: 'Conversation', deleteRule: 'cascade', index: true },
    type: { enum: true, items: () => CONVERSATION_EVENT_TYPES },
    reason: { enum: true, items: () => CONVERSATION_EVENT_REASONS },
    occurredAt: { type: 'datetime' },
    actor: { kind: 'm:1', entity: 'User', nullable: true, deleteRule: 'set null' },
    actorName: { type: 'string', length: 120, nullable: true },
    operator: { kind: 'm:1', entity: 'User', nullable: true, deleteRule: 'set null' },
    operatorName: { type: 'string', length: 120, nullable: true },
    department: { kind: 'm:1', entity: 'Department', nullable: true, deleteRule: 'set null' },
  },
  indexes: [
    // The queue figures read a tenant's events over a period.
    { name: 'conversation_event_tenant_occurred_at_index', properties: ['tenant', 'occurredAt'] },
  ],
});
