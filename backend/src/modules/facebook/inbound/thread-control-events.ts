import { v7 as uuidv7 } from 'uuid';
import type {
  ConversationStore,
  NewConversation,
  QueuedEvent,
  ThreadControlChange,
} from '../../conversations/conversation-store.js';
import type { ThreadControl } from '../../conversations/conversation.entity.js';
import type { LockedContact, PageRow } from './inbound-store.js';
import {
  WINDOW_OPENING_EVENT_TYPES,
  type MessengerEvent,
  type ThreadControlEvent,
} from './messenger-events.js';

/**
 * The handover protocol on pages where Omni is secondary receiver beside a primary app (a
 * bot): who controls each visitor's thread, as the batch's events tell it, in the platform's
 * order. A visitor's event in `standby[]` means another app has the thread (the bot is
 * answering: nobody in Omni is asked to); one in `messaging[]` means Omni has it. A
 * `pass_thread_control` naming Omni's app hands the visitor to Omni's operators: their
 * conversation is queued (created or reopened, logged as 'thread_passed'); a
 * `take_thread_control` tells Omni another app took it back. `request_thread_control` (another
 * app asking Omni) changes nothing. Facts: shared/docs/messenger-platform.md, "Handover protocol".
 */

type ThreadItem = { page: PageRow; event: MessengerEvent };

/** What a contact's events leave: the thread's controller, and the pass that queues it. */
type ThreadOutcome = {
  page: PageRow;
  contactId: string;
  control: ThreadControl;
  returnAppId: string | null;
  /** When the latest pass to Omni came, if Omni holds the thread since. */
  passedAt: Date | null;
};

export type ThreadControlResult = {
  /** contact id → conversation id of conversations the handover created. */
  created: Map<string, string>;
  /** Conversations queued because the thread was passed to Omni. */
  queued: { tenantId: string; conversationId: string }[];
  /** Conversations whose thread control changed. */
  changed: { tenantId: string; conversationId: string }[];
};

/** Whether a visitor's standby line should ask Omni's operators for nothing. */
export function isHandledByOtherApp(page: PageRow, event: MessengerEvent): boolean {
  return page.handoverEnabled && event.channel === 'standby';
}

/**
 * Applies the batch's thread control to the contacts' latest conversations (`conversationOf`:
 * contact id → conversation the batch's lines joined), creating or reopening those a pass to
 * Omni queues. Runs in the batch's transaction, after its lines were added.
 */
export async function applyThreadControl<T extends ThreadItem>(
  conversations: ConversationStore,
  items: T[],
  contactOf: (item: T) => LockedContact,
  conversationOf: Map<string, string>,
  now: Date,
): Promise<ThreadControlResult> {
  const outcomes = threadOutcomes(items, contactOf);
  const result: ThreadControlResult = { created: new Map(), queued: [], changed: [] };
  if (outcomes.length === 0) return result;
  const latest = new Map(
    (await conversations.lockLatestOfContacts(outcomes.map((outcome) => outcome.contactId))).map(
      (conversation) => [conversation.contactId, conversation],
    ),
  );
  const created: NewConversation[] = [];
  const reopened: { id: string; reopenAt: Date; departmentId: string | null; at: Date }[] = [];
  const queuedEvents: QueuedEvent[] = [];
  const changes: ThreadControlChange[] = [];
  for (const outcome of outcomes) {
    const { page, contactId, passedAt } = outcome;
    const conversation = latest.get(contactId);
    let conversationId = conversation?.id ?? conversationOf.get(contactId);
    if (passedAt && (!conversation || conversation.status === 'closed')) {
      if (!conversation) {
        conversationId = uuidv7();
        created.push({
          id: conversationId,
          tenantId: page.tenantId,
          contactId,
          pageRowId: page.id,
          departmentId: page.departmentId,
          queuedAt: passedAt,
          isChoosingDepartment: false,
          lastMessageAt: passedAt,
          unreadCount: 0,
        });
        result.created.set(contactId, conversationId);
      } else {
        reopened.push({
          id: conversation.id,
          reopenAt: now,
          departmentId: page.departmentId,
          at: passedAt,
        });
      }
      queuedEvents.push({
        id: uuidv7(),
        tenantId: page.tenantId,
        conversationId: conversationId!,
        reason: 'thread_passed',
        occurredAt: conversation ? now : passedAt,
        departmentId: page.departmentId,
      });
      result.queued.push({ tenantId: page.tenantId, conversationId: conversationId! });
    }
    if (conversationId === undefined) continue; // a thread Omni never saw changed hands
    changes.push({
      id: conversationId,
      threadControl: outcome.control,
      returnAppId: outcome.returnAppId,
    });
    result.changed.push({ tenantId: page.tenantId, conversationId });
  }
  await conversations.create(created);
  await conversations.addLines(
    reopened.map((conversation) => ({
      id: conversation.id,
      queueAt: conversation.reopenAt,
      departmentId: conversation.departmentId,
      departmentMenuRemindedAt: null,
      lastMessageAt: conversation.at,
      unreadCount: 0,
    })),
  );
  await conversations.recordQueued(queuedEvents);
  await conversations.setThreadControl(changes);
  return result;
}

/** Each contact's thread controller after the batch, for pages that use the protocol. */
function threadOutcomes<T extends ThreadItem>(
  items: T[],
  contactOf: (item: T) => LockedContact,
): ThreadOutcome[] {
  const byContact = new Map<string, ThreadOutcome>();
  for (const item of items) {
    const { page, event } = item;
    if (!page.handoverEnabled) continue;
    const contactId = contactOf(item).id;
    const known = byContact.get(contactId);
    if (event.type === 'thread_control') {
      const control = controllerAfter(page, event);
      if (control === null) continue;
      byContact.set(contactId, {
        page,
        contactId,
        control,
        returnAppId: control === 'omni' ? event.previousOwnerAppId : null,
        passedAt: control === 'omni' ? event.occurredAt : null,
      });
    } else if (WINDOW_OPENING_EVENT_TYPES.has(event.type)) {
      const control: ThreadControl = event.channel === 'standby' ? 'other_app' : 'omni';
      byContact.set(contactId, {
        page,
        contactId,
        control,
        returnAppId: null,
        passedAt: control === 'omni' ? (known?.passedAt ?? null) : null,
      });
    }
  }
  return [...byContact.values()];
}

/**
 * Who controls the thread after a handover event. Facebook sends `pass_thread_control` to the
 * new owner only, so one naming no owner (or before Omni's app id is known) is Omni's; a
 * `take_thread_control` goes to the app that lost the thread.
 */
function controllerAfter(page: PageRow, event: ThreadControlEvent): ThreadControl | null {
  const isOmni = (appId: string | null) =>
    appId === null || page.appId === null || appId === page.appId;
  switch (event.action) {
    case 'pass_thread_control':
      return isOmni(event.newOwnerAppId) ? 'omni' : 'other_app';
    case 'take_thread_control':
      return event.newOwnerAppId !== null && event.newOwnerAppId === page.appId
        ? 'omni'
        : 'other_app';
    case 'request_thread_control':
      return null;
  }
}
