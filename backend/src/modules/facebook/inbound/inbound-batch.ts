import { createHash } from 'node:crypto';
import { v7 as uuidv7, validate as isUuid } from 'uuid';
import { needsProfile } from '../../conversations/contact-profiles.service.js';
import type {
  ConversationLines,
  ConversationStore,
  CsatAnswer,
  LatestConversation,
  NewConversation,
  QueuedEvent,
} from '../../conversations/conversation-store.js';
import { parseCsatPayload } from '../../csat/csat-survey.js';
import {
  departmentMenuStep,
  type DepartmentMenuMessage,
  type MenuStep,
} from '../../department-menu/department-menu.js';
import type { MessageKind } from '../../conversations/message.entity.js';
import {
  keyOnPage,
  type ClaimedDelivery,
  type Diagnostic,
  type InboundStore,
  type LockedContact,
  type NewMessage,
  type PageRow,
  type Receipt,
} from './inbound-store.js';
import { parseDelivery } from './messenger-parser.js';
import { applyThreadControl, isHandledByOtherApp } from './thread-control-events.js';
import {
  PAGE_INBOX_APP_ID,
  WINDOW_OPENING_EVENT_TYPES,
  type DiagnosticEvent,
  type EchoEvent,
  type MessageContent,
  type MessengerEvent,
} from './messenger-events.js';

/**
 * How long an edit waits for the message it edits. Deliveries are processed concurrently, so
 * an edit can be handled before the delivery that carries its message: its delivery is
 * postponed (1, 2, 4 s) while it is this young and has waited fewer times than this; then
 * the edit (of a message Omni never got) is kept as a diagnostic.
 */
export const EDIT_WAITS_FOR_MESSAGE_MS = 60_000;
export const EDIT_WAITS_FOR_MESSAGE_ATTEMPTS = 3;

const DEDUP_KEY_LENGTH = 255;

/** What changed in one tenant, for the realtime panel and the follow-up jobs after commit. */
export type InboundOutcome = {
  tenantId: string;
  conversationIds: Set<string>;
  /** Conversations that started waiting in the queue (new, reopened, or a department chosen). */
  queuedConversationIds: Set<string>;
  /** Conversations the batch opened. */
  createdConversationIds: Set<string>;
  /** The department menu's messages to send after commit (a new conversation, a reminder). */
  departmentMenuOffers: { conversationId: string; message: DepartmentMenuMessage }[];
  newMessageIds: string[];
  /** Attachments to download into Omni's storage: message id and attachment position. */
  attachmentDownloads: { messageId: string; index: number }[];
  updatedMessageIds: Set<string>;
  contactIdsNeedingProfile: Set<string>;
};

export type BatchResult = {
  outcomes: InboundOutcome[];
  /** Deliveries left pending until their edits' messages can have arrived. */
  postponed: string[];
};

/** One Messenger event of a page the tenant has, with what processing learns of it. */
type Item = { delivery: ClaimedDelivery; page: PageRow; event: MessengerEvent };

/** A line of a conversation's history that an event adds. */
type Line = {
  item: Item;
  contact: LockedContact;
  direction: 'in' | 'out';
  source: 'visitor' | 'page_inbox';
  kind: MessageKind;
  text: string | null;
  dedupKey: string;
  mid: string | null;
  attachments: MessageContent['attachments'];
  details: Record<string, unknown>;
};

/**
 * Applies claimed deliveries to contacts, conversations and messages — exactly once, with a
 * fixed number of statements however many deliveries the batch holds. A message is unique per
 * (page, dedup key), and every contact of the batch is locked before its messages are looked
 * up, so a delivery processed twice, or the same event in two deliveries, changes nothing the
 * second time, and concurrent workers never open two conversations for one visitor.
 */
export async function applyDeliveries(
  store: InboundStore,
  conversations: ConversationStore,
  deliveries: ClaimedDelivery[],
  now: Date,
): Promise<BatchResult> {
  const outcomes = new OutcomesByTenant();
  const diagnostics = new Map(deliveries.map((delivery) => [delivery.id, [] as Diagnostic[]]));
  const parsed = deliveries.map((delivery) => ({
    delivery,
    events: parseDelivery(delivery.rawBody, { pageIds: new Set(delivery.pageIds) }),
  }));

  const pages = await store.pages(
    uniqueBy(
      parsed.flatMap(({ delivery }) =>
        delivery.pageIds.map((pageId) => ({ tenantId: delivery.tenantId, pageId })),
      ),
      (key) => `${key.tenantId} ${key.pageId}`,
    ),
  );
  const pageOf = new Map(pages.map((page) => [`${page.tenantId} ${page.pageId}`, page]));
  let items: Item[] = [];
  for (const { delivery, events } of parsed) {
    for (const event of events) {
      const page = pageOf.get(`${delivery.tenantId} ${event.pageId}`);
      if (!page) continue; // deleted since the delivery was stored: dropped
      // Handover events mean something only where Omni is secondary receiver: elsewhere they
      // are kept for diagnosis, as before the protocol was supported.
      const isUnusedHandover = event.type === 'thread_control' && !page.handoverEnabled;
      if (isDiagnostic(event) || !event.psid || isUnusedHandover) {
        diagnostics.get(delivery.id)!.push(diagnosticOf(event));
      } else {
        items.push({ delivery, page, event });
      }
    }
  }

  const waiting = await editsWaitingForTheirMessage(store, items, now);
  items = items.filter((item) => {
    if (waiting.postponed.has(item.delivery.id)) return false;
    if (!waiting.abandoned.has(item)) return true;
    diagnostics.get(item.delivery.id)!.push(diagnosticOf(item.event));
    return false;
  });
  // One order for the whole batch: the platform's, whichever delivery brought an event.
  items.sort((a, b) => a.event.occurredAt.getTime() - b.event.occurredAt.getTime());

  const contacts = await lockContacts(store, items);
  const contactOf = (item: Item) => contacts.get(keyOnPage(item.page.id, item.event.psid))!;
  await requestProfiles(store, items, contactOf, now, outcomes);
  await store.openReplyWindows(replyWindowsOpened(items, contactOf));

  const lines = await newLines(store, items, contactOf, outcomes);
  const ignoreLine = (line: Line, reason: string) =>
    diagnostics.get(line.item.delivery.id)!.push({ ...diagnosticOf(line.item.event), reason });
  const conversationOf = await continueConversations(
    conversations,
    lines,
    now,
    outcomes,
    ignoreLine,
  );
  const threads = await applyThreadControl(conversations, items, contactOf, conversationOf, now);
  for (const [contactId, conversationId] of threads.created)
    conversationOf.set(contactId, conversationId);
  for (const { tenantId, conversationId } of threads.queued)
    outcomes.of(tenantId).queuedConversationIds.add(conversationId);
  for (const { tenantId, conversationId } of threads.changed)
    outcomes.of(tenantId).conversationIds.add(conversationId);
  const newMessages = messagesOf(lines, conversationOf, outcomes);
  await store.insertMessages(newMessages);
  const messageIdsOf = new Map<string, string[]>();
  newMessages.forEach((message, index) => {
    const deliveryId = lines[index]!.item.delivery.id;
    messageIdsOf.set(deliveryId, [...(messageIdsOf.get(deliveryId) ?? []), message.id]);
  });

  const changed = [
    ...(await store.applyEdits(latestEdits(items))),
    // Delivered before read: a message both delivered and read in one batch ends read.
    ...(await store.advanceOutbound('delivered', receipts(items, 'delivery', contactOf))),
    ...(await store.advanceOutbound('read', receipts(items, 'read', contactOf))),
  ];
  for (const message of changed) {
    outcomes.of(message.tenantId).updatedMessageIds.add(message.id);
    outcomes.of(message.tenantId).conversationIds.add(message.conversationId);
  }

  await store.recordPagesLastEvent(pagesWithNewLastEvent(parsed, pageOf));
  await store.markProcessed(
    deliveries
      .filter((delivery) => !waiting.postponed.has(delivery.id))
      .map((delivery) => ({
        id: delivery.id,
        diagnostics: diagnostics.get(delivery.id)!,
        messageIds: messageIdsOf.get(delivery.id) ?? [],
        // Its pages were deleted since it arrived: what the visitors wrote goes with them.
        isOfDeletedPages: delivery.pageIds.every(
          (pageId) => !pageOf.has(`${delivery.tenantId} ${pageId}`),
        ),
      })),
  );
  return { outcomes: outcomes.all(), postponed: [...waiting.postponed] };
}

/** A visitor's profile is asked for once, by the first event that finds it missing or old. */
async function requestProfiles(
  store: InboundStore,
  items: Item[],
  contactOf: (item: Item) => LockedContact,
  now: Date,
  outcomes: OutcomesByTenant,
): Promise<void> {
  const checked = new Set<string>();
  const requested: string[] = [];
  for (const item of items) {
    const contact = contactOf(item);
    if (checked.has(contact.id)) continue;
    checked.add(contact.id);
    if (needsProfile(contact, now)) {
      outcomes.of(item.page.tenantId).contactIdsNeedingProfile.add(contact.id);
      requested.push(contact.id);
    }
  }
  await store.markProfilesRequested(requested, now);
}

/** The rows of the new lines, each in its contact's conversation. */
function messagesOf(
  lines: Line[],
  conversationOf: Map<string, string>,
  outcomes: OutcomesByTenant,
): NewMessage[] {
  return lines.map((line) => {
    const conversationId = conversationOf.get(line.contact.id)!;
    const message: NewMessage = {
      id: uuidv7(),
      tenantId: line.item.page.tenantId,
      conversationId,
      pageRowId: line.item.page.id,
      direction: line.direction,
      source: line.source,
      kind: line.kind,
      text: line.text,
      attachments: line.attachments,
      mid: line.mid,
      dedupKey: line.dedupKey,
      occurredAt: line.item.event.occurredAt,
      status: line.source === 'page_inbox' ? 'sent' : null,
      details: line.details,
    };
    const outcome = outcomes.of(message.tenantId);
    outcome.newMessageIds.push(message.id);
    outcome.conversationIds.add(conversationId);
    if (line.source === 'visitor') {
      line.attachments.forEach((attachment, index) => {
        if (attachment.url) outcome.attachmentDownloads.push({ messageId: message.id, index });
      });
    }
    return message;
  });
}

/**
 * Edits whose message is neither stored nor in this batch. Their delivery is postponed while
 * young (the message may be in a delivery another worker holds); later the edit is abandoned
 * as a diagnostic. Postponing a delivery can take away another edit's message, hence the loop.
 */
async function editsWaitingForTheirMessage(
  store: InboundStore,
  items: Item[],
  now: Date,
): Promise<{ postponed: Set<string>; abandoned: Set<Item> }> {
  const edits = items.filter((item) => item.event.type === 'message_edit');
  const postponed = new Set<string>();
  const abandoned = new Set<Item>();
  if (edits.length === 0) return { postponed, abandoned };
  const editedMid = (item: Item) => keyOnPage(item.page.id, (item.event as { mid: string }).mid);
  const stored = await store.knownMids(
    edits.map((item) => ({ pageRowId: item.page.id, key: (item.event as { mid: string }).mid })),
  );
  for (let changed = true; changed;) {
    changed = false;
    const inBatch = new Set(
      items
        .filter((item) => !postponed.has(item.delivery.id))
        .flatMap((item) =>
          item.event.type === 'message' || item.event.type === 'echo'
            ? [keyOnPage(item.page.id, item.event.message.mid)]
            : [],
        ),
    );
    for (const edit of edits) {
      const { delivery } = edit;
      if (postponed.has(delivery.id) || abandoned.has(edit)) continue;
      if (stored.has(editedMid(edit)) || inBatch.has(editedMid(edit))) continue;
      const isYoung = now.getTime() - delivery.createdAt.getTime() < EDIT_WAITS_FOR_MESSAGE_MS;
      if (isYoung && delivery.attempts < EDIT_WAITS_FOR_MESSAGE_ATTEMPTS) {
        postponed.add(delivery.id);
        changed = true;
      } else {
        abandoned.add(edit);
      }
    }
  }
  return { postponed, abandoned };
}

async function lockContacts(
  store: InboundStore,
  items: Item[],
): Promise<Map<string, LockedContact>> {
  const wanted = uniqueBy(
    items.map((item) => ({
      id: uuidv7(),
      tenantId: item.page.tenantId,
      pageRowId: item.page.id,
      psid: item.event.psid,
    })),
    (contact) => keyOnPage(contact.pageRowId, contact.psid),
  );
  const locked = await store.lockContacts(wanted);
  return new Map(locked.map((contact) => [keyOnPage(contact.pageRowId, contact.psid), contact]));
}

/**
 * The reply window starts at the visitor's latest action that the platform counts, at the
 * platform's time of it, so a delivery retried an hour late cannot extend it.
 */
function replyWindowsOpened(
  items: Item[],
  contactOf: (item: Item) => LockedContact,
): { contactId: string; lastInboundAt: Date }[] {
  const latest = new Map<string, Date>();
  for (const item of items) {
    if (!WINDOW_OPENING_EVENT_TYPES.has(item.event.type)) continue;
    const contact = contactOf(item);
    const known = latest.get(contact.id) ?? contact.lastInboundAt;
    if (!known || known < item.event.occurredAt) latest.set(contact.id, item.event.occurredAt);
  }
  return [...latest].map(([contactId, lastInboundAt]) => ({ contactId, lastInboundAt }));
}

/**
 * The lines the batch adds to histories, each once: events already stored, or twice in the
 * batch, add nothing. The echo of Omni's own send only confirms that message (its metadata is
 * Omni's message id); any other echo is a reply sent from Facebook's side and is a line.
 */
async function newLines(
  store: InboundStore,
  items: Item[],
  contactOf: (item: Item) => LockedContact,
  outcomes: OutcomesByTenant,
): Promise<Line[]> {
  const echoes = items.filter(
    (item): item is Item & { event: EchoEvent } => item.event.type === 'echo',
  );
  const outbound = await store.outboundFor(
    echoes.flatMap(({ event }) =>
      event.metadata && isUuid(event.metadata) ? [event.metadata] : [],
    ),
    echoes.map(({ page, event }) => ({ pageRowId: page.id, key: event.message.mid })),
  );
  const outboundById = new Map(outbound.map((message) => [message.id, message]));
  const outboundByMid = new Map(
    outbound.flatMap((message) =>
      message.mid ? [[keyOnPage(message.pageRowId, message.mid), message] as const] : [],
    ),
  );
  const confirmed: { id: string; mid: string }[] = [];
  const candidates: Line[] = [];
  for (const item of items) {
    const { event, page } = item;
    if (event.type === 'echo') {
      const byId = event.metadata ? outboundById.get(event.metadata) : undefined;
      const own =
        (byId?.pageRowId === page.id ? byId : undefined) ??
        outboundByMid.get(keyOnPage(page.id, event.message.mid));
      if (own) {
        confirmed.push({ id: own.id, mid: event.message.mid });
        outcomes.of(page.tenantId).updatedMessageIds.add(own.id);
        outcomes.of(page.tenantId).conversationIds.add(own.conversationId);
        continue;
      }
    }
    const line = lineOf(item, contactOf(item));
    if (line) candidates.push(line);
  }
  await store.confirmSent(confirmed);

  const known = await store.knownDedupKeys(
    candidates.map((line) => ({ pageRowId: line.item.page.id, key: line.dedupKey })),
  );
  return candidates.filter((line) => {
    const key = keyOnPage(line.item.page.id, line.dedupKey);
    if (known.has(key)) return false;
    known.add(key);
    return true;
  });
}

/** The history line an event adds, before deduplication; null for events that add none. */
function lineOf(item: Item, contact: LockedContact): Line | null {
  const { event } = item;
  const visitor = { item, contact, direction: 'in' as const, source: 'visitor' as const };
  switch (event.type) {
    case 'message': {
      const { message } = event;
      return {
        ...visitor,
        kind: kindOf(message),
        text: message.text,
        dedupKey: message.mid,
        mid: message.mid,
        attachments: message.attachments,
        details: {
          ...(message.quickReplyPayload ? { quickReplyPayload: message.quickReplyPayload } : {}),
          ...(message.replyToMid ? { replyToMid: message.replyToMid } : {}),
          ...(message.stickerId ? { stickerId: message.stickerId } : {}),
        },
      };
    }
    case 'postback':
      return {
        ...visitor,
        kind: 'postback',
        text: event.title ?? event.payload,
        dedupKey: event.mid ?? `postback:${event.psid}:${event.occurredAt.getTime()}`,
        mid: event.mid,
        attachments: [],
        details: { payload: event.payload, referral: event.referral },
      };
    case 'reaction':
      return {
        ...visitor,
        kind: 'reaction',
        text: event.emoji ?? event.reaction,
        dedupKey: boundDedupKey(
          `reaction:${event.mid}:${event.action}:${event.occurredAt.getTime()}`,
        ),
        mid: null,
        attachments: [],
        details: { action: event.action, reaction: event.reaction, targetMid: event.mid },
      };
    case 'referral':
      return {
        ...visitor,
        kind: 'referral',
        text: event.referral.ref,
        dedupKey: `referral:${event.psid}:${event.occurredAt.getTime()}`,
        mid: null,
        attachments: [],
        details: { referral: event.referral },
      };
    case 'echo':
      return {
        item,
        contact,
        direction: 'out',
        source: 'page_inbox',
        kind: kindOf(event.message),
        text: event.message.text,
        dedupKey: event.message.mid,
        mid: event.message.mid,
        attachments: event.message.attachments,
        details: { appId: event.appId, isFacebookPageInbox: event.appId === PAGE_INBOX_APP_ID },
      };
    default:
      return null;
  }
}

/**
 * The conversation each contact's new lines join: the open one; a closed one, reopened into
 * the queue; or a new one, waiting since the first line — or, on a page with a department
 * menu, held out of the queue until the visitor chooses (departmentMenuStep). Returns
 * contact id → conversation id.
 */
async function continueConversations(
  conversations: ConversationStore,
  lines: Line[],
  now: Date,
  outcomes: OutcomesByTenant,
  ignoreLine: (line: Line, reason: string) => void,
): Promise<Map<string, string>> {
  const linesOf = new Map<string, Line[]>();
  for (const line of lines)
    linesOf.set(line.contact.id, [...(linesOf.get(line.contact.id) ?? []), line]);
  const latest = new Map(
    (await conversations.lockLatestOfContacts([...linesOf.keys()])).map((conversation) => [
      conversation.contactId,
      conversation,
    ]),
  );
  const created: NewConversation[] = [];
  const updated: ConversationLines[] = [];
  const queued: QueuedEvent[] = [];
  const csatAnswers: CsatAnswer[] = [];
  const conversationOf = new Map<string, string>();
  for (const [contactId, contactLines] of linesOf) {
    const { page } = contactLines[0]!.item;
    const lastMessageAt = new Date(
      Math.max(...contactLines.map((line) => line.item.event.occurredAt.getTime())),
    );
    const conversation = latest.get(contactId);
    const answer = csatAnswerAmong(contactLines, conversation, ignoreLine);
    if (answer) csatAnswers.push(answer.answer);
    // A rating of the closed conversation's survey is recorded in its history, but neither
    // reopens it nor waits to be read.
    const fromVisitor = contactLines.filter(
      (line) => line.source === 'visitor' && line !== answer?.line,
    );
    const unreadCount = fromVisitor.length;
    // Only the visitor opens a conversation for Omni's operators: lines that the page's own
    // people sent from Facebook's inbox are recorded, but ask nobody here to answer, nor do
    // lines another app (a bot) is answering under the handover protocol.
    const visitorWrote = fromVisitor.some((line) => !isHandledByOtherApp(page, line.item.event));
    const outcome = outcomes.of(page.tenantId);
    let conversationId: string;
    let queuedFor: { reason: QueuedEvent['reason']; departmentId: string | null } | null = null;
    if (!conversation) {
      conversationId = uuidv7();
      // Only a brand-new visitor is greeted with the menu: one who comes back reopens their
      // conversation where it was.
      const isChoosingDepartment = visitorWrote && page.departmentMenuIds.length > 0;
      const queuedAt =
        visitorWrote && !isChoosingDepartment ? contactLines[0]!.item.event.occurredAt : null;
      created.push({
        id: conversationId,
        tenantId: page.tenantId,
        contactId,
        pageRowId: page.id,
        departmentId: page.departmentId,
        queuedAt,
        isChoosingDepartment,
        lastMessageAt,
        unreadCount,
      });
      if (queuedAt) {
        queued.push(queuedRecord(page, conversationId, 'new_conversation', queuedAt));
        outcome.queuedConversationIds.add(conversationId);
      }
      outcome.createdConversationIds.add(conversationId);
      if (isChoosingDepartment)
        outcome.departmentMenuOffers.push({ conversationId, message: 'menu' });
    } else {
      conversationId = conversation.id;
      let remindedAt: Date | null = null;
      if (conversation.status === 'closed' && visitorWrote) {
        queuedFor = { reason: 'visitor_wrote', departmentId: page.departmentId };
      } else if (conversation.status === 'choosing_department') {
        const step = choiceAmong(contactLines, conversation, page, ignoreLine);
        if (step.kind === 'chosen') {
          queuedFor = { reason: 'department_chosen', departmentId: step.departmentId };
        } else if (step.kind === 'default') {
          queuedFor = { reason: 'department_menu_skipped', departmentId: page.departmentId };
        } else if (step.kind === 'remind') {
          remindedAt = now;
          outcome.departmentMenuOffers.push({ conversationId, message: 'reminder' });
        }
      }
      updated.push({
        id: conversationId,
        queueAt: queuedFor ? now : null,
        departmentId: queuedFor?.departmentId ?? page.departmentId,
        departmentMenuRemindedAt: remindedAt,
        lastMessageAt,
        unreadCount,
      });
      if (queuedFor) {
        queued.push({
          ...queuedRecord(page, conversationId, queuedFor.reason, now),
          departmentId: queuedFor.departmentId,
        });
        outcome.queuedConversationIds.add(conversationId);
      }
    }
    outcome.conversationIds.add(conversationId);
    conversationOf.set(contactId, conversationId);
  }
  await conversations.create(created);
  await conversations.addLines(updated);
  await conversations.recordQueued(queued);
  await conversations.recordCsatAnswers(csatAnswers);
  return conversationOf;
}

/**
 * What a contact's new lines do to their conversation choosing its department
 * (departmentMenuStep); the tap that chose is marked in its line's details, and a tap that
 * could not count is kept as an ordinary message, with a diagnostic.
 */
function choiceAmong(
  lines: Line[],
  conversation: LatestConversation,
  page: PageRow,
  ignore: (line: Line, reason: string) => void,
): MenuStep {
  const visitorLines = lines.filter((line) => line.source === 'visitor');
  const { step, ignored } = departmentMenuStep(
    { id: conversation.id, isReminded: conversation.isDepartmentMenuReminded },
    visitorLines.map((line) => ({
      quickReplyPayload: (line.details['quickReplyPayload'] as string | undefined) ?? null,
      isWritten: line.item.event.type === 'message' || line.item.event.type === 'postback',
    })),
    page.departmentMenuIds,
  );
  for (const { lineIndex, reason } of ignored) {
    const line = visitorLines[lineIndex]!;
    line.details = { ...line.details, departmentChoiceIgnored: reason };
    ignore(line, reason);
  }
  if (step.kind === 'chosen') {
    const line = visitorLines[step.lineIndex]!;
    line.details = { ...line.details, departmentChosen: step.departmentId };
  }
  return step;
}

/**
 * The visitor's rating among a contact's new lines: the first tap of a survey's quick reply
 * (`CSAT:<conversation>:<score>`) naming their latest conversation, closed and awaiting its
 * rating. Any other such payload (another conversation's, forged, late, a second tap) stays
 * an ordinary message, with a diagnostic. Typed digits are not taken as a rating: a visitor
 * writing "4" after a survey may mean something else, and reopens the chat as any message.
 */
function csatAnswerAmong(
  lines: Line[],
  conversation: LatestConversation | undefined,
  ignore: (line: Line, reason: string) => void,
): { line: Line; answer: CsatAnswer } | null {
  let found: { line: Line; answer: CsatAnswer } | null = null;
  for (const line of lines) {
    if (line.source !== 'visitor') continue;
    const rating = parseCsatPayload(line.details['quickReplyPayload'] as string | undefined);
    if (!rating) continue;
    const reason =
      !conversation || rating.conversationId !== conversation.id
        ? 'csat_answer_for_another_conversation'
        : conversation.status !== 'closed'
          ? 'csat_answer_for_open_conversation'
          : !conversation.awaitsCsat || found
            ? 'csat_answer_not_awaited'
            : null;
    if (reason) {
      line.details = { ...line.details, csatIgnored: reason };
      ignore(line, reason);
      continue;
    }
    line.details = { ...line.details, csatScore: rating.score };
    found = {
      line,
      answer: {
        id: conversation!.id,
        score: rating.score,
        answeredAt: line.item.event.occurredAt,
      },
    };
  }
  return found;
}

function queuedRecord(
  page: PageRow,
  conversationId: string,
  reason: QueuedEvent['reason'],
  occurredAt: Date,
): QueuedEvent {
  return {
    id: uuidv7(),
    tenantId: page.tenantId,
    conversationId,
    reason,
    occurredAt,
    departmentId: page.departmentId,
  };
}

/** The newest edit of each message in the batch (a visitor may edit up to five times). */
function latestEdits(items: Item[]) {
  const latest = new Map<
    string,
    { pageRowId: string; mid: string; text: string; editedAt: Date; editCount: number }
  >();
  for (const { event, page } of items) {
    if (event.type !== 'message_edit') continue;
    const key = keyOnPage(page.id, event.mid);
    if ((latest.get(key)?.editCount ?? -1) >= event.editCount) continue;
    latest.set(key, {
      pageRowId: page.id,
      mid: event.mid,
      text: event.text,
      editedAt: event.occurredAt,
      editCount: event.editCount,
    });
  }
  return [...latest.values()];
}

/** One receipt per visitor thread: the furthest watermark and every mid named. */
function receipts(
  items: Item[],
  type: 'delivery' | 'read',
  contactOf: (item: Item) => LockedContact,
): Receipt[] {
  const byContact = new Map<string, Receipt>();
  for (const item of items) {
    const { event } = item;
    if (event.type !== type) continue;
    const contact = contactOf(item);
    const receipt = byContact.get(contact.id) ?? {
      pageRowId: item.page.id,
      contactId: contact.id,
      watermark: event.watermark,
      mids: [],
    };
    if (receipt.watermark < event.watermark) receipt.watermark = event.watermark;
    if (event.type === 'delivery') receipt.mids.push(...event.mids);
    byContact.set(contact.id, receipt);
  }
  return [...byContact.values()];
}

/**
 * The page's "last event" is a status for its admin; writing it on every event would make
 * every batch of a busy page wait for the same row. A minute's precision is enough.
 */
function pagesWithNewLastEvent(
  parsed: { delivery: ClaimedDelivery; events: MessengerEvent[] }[],
  pageOf: Map<string, PageRow>,
): { id: string; lastEventAt: Date }[] {
  const latest = new Map<PageRow, Date>();
  for (const { delivery, events } of parsed) {
    for (const event of events) {
      const page = pageOf.get(`${delivery.tenantId} ${event.pageId}`);
      if (page && !(latest.get(page)! >= event.occurredAt)) latest.set(page, event.occurredAt);
    }
  }
  return [...latest]
    .filter(([page, at]) => !page.lastEventAt || at.getTime() - page.lastEventAt.getTime() > 60_000)
    .map(([page, lastEventAt]) => ({ id: page.id, lastEventAt }));
}

/** Outcomes are per tenant: each one's panels are told, and its dispatcher woken, apart. */
class OutcomesByTenant {
  private readonly outcomes = new Map<string, InboundOutcome>();

  of(tenantId: string): InboundOutcome {
    let outcome = this.outcomes.get(tenantId);
    if (!outcome) {
      outcome = {
        tenantId,
        conversationIds: new Set(),
        queuedConversationIds: new Set(),
        createdConversationIds: new Set(),
        departmentMenuOffers: [],
        newMessageIds: [],
        attachmentDownloads: [],
        updatedMessageIds: new Set(),
        contactIdsNeedingProfile: new Set(),
      };
      this.outcomes.set(tenantId, outcome);
    }
    return outcome;
  }

  all(): InboundOutcome[] {
    return [...this.outcomes.values()];
  }
}

function isDiagnostic(event: MessengerEvent): event is DiagnosticEvent {
  return (
    event.type === 'optin' ||
    event.type === 'handover' ||
    event.type === 'unknown' ||
    event.type === 'invalid'
  );
}

function diagnosticOf(event: MessengerEvent): Diagnostic {
  const { pageId, psid } = event;
  const type = event.type === 'thread_control' ? 'handover' : event.type;
  const reason = 'reason' in event ? event.reason : undefined;
  return reason === undefined ? { type, pageId, psid } : { type, pageId, psid, reason };
}

function kindOf(content: MessageContent): MessageKind {
  if (content.stickerId) return 'sticker';
  const first = content.attachments[0];
  if (!first) return 'text';
  switch (first.kind) {
    case 'image':
    case 'video':
    case 'audio':
    case 'file':
    case 'location':
    case 'sticker':
    case 'fallback':
      return first.kind;
    default:
      return 'other';
  }
}

/**
 * `dedup_key` is varchar(255): a key built around a mid of that length is replaced by its
 * digest (still one key per event, and never equal to a mid, which has no colon).
 */
function boundDedupKey(key: string): string {
  return key.length <= DEDUP_KEY_LENGTH
    ? key
    : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

function uniqueBy<T>(values: T[], keyOf: (value: T) => string): T[] {
  return [...new Map(values.map((value) => [keyOf(value), value])).values()];
}
