import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import type { SecretBox } from '../../crypto/secret-box.js';
import { sqlIn } from '../../db/sql.js';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import {
  appendToOutbox,
  conversationsChanged,
  type DispatchCommitted,
  type OutboxWrite,
} from '../../outbox/outbox.js';
import { pageTokenRefused } from '../facebook/page-token-refusal.js';
import { Message } from '../conversations/message.entity.js';
import { replyMessagingType, type ReplyMessagingType } from '../conversations/reply-window.js';
import type { SendApi, SendMessageRequest } from '../facebook/graph/graph-client.js';
import { GraphApiError } from '../facebook/graph/graph-errors.js';
import { departmentMenuUnsent } from '../department-menu/department-menu.service.js';
import type { QuickReply } from './quick-reply.js';

/**
 * How long a send whose outcome is unknown (a timeout, a crash mid-call) waits for its echo
 * (which carries Omni's message id as metadata) before it is tried again.
 */
export const ECHO_WAIT_MS = 30_000;
/**
 * Sends that failed for a reason that may pass are tried this many times in all (BullMQ
 * allows each job one more attempt, so the last failure is always recorded here).
 */
export const MAX_SEND_ATTEMPTS = 4;
/**
 * How long a reply waits before looking again when an earlier reply of its conversation is
 * still unsent: Messenger shows messages in the order it receives them, so a text must not
 * overtake the photo sent before it (sends run side by side, and one may be retrying).
 */
export const ORDER_WAIT_MS = 1_000;

const DEAD_TOKEN_REASON =
  "The page's access token is no longer valid — an admin must replace it, then retry.";
const WINDOW_CLOSED_REASON =
  'The reply window closed before the message could be sent. The visitor has to write again first.';

/** What became of one attempt, for the job that made it. */
export type SendOutcome =
  | { kind: 'done' }
  /** Try again after `delayMs`: the echo of an unresolved call may still come. */
  | { kind: 'check-later'; delayMs: number }
  /** A failure that may pass (rate limit, temporary): BullMQ retries with back-off. */
  | { kind: 'retry'; error: GraphApiError };

/** The message taken for one call, or what became of the attempt without one. */
type Claim =
  | { kind: 'claimed'; message: Message; messagingType: ReplyMessagingType }
  | { kind: 'skip'; outcome: SendOutcome; outboxEntryIds: string[] };

/**
 * Sends one stored reply through the Send API, exactly once. The message row is claimed in a
 * transaction (status pending, no unresolved call), the window is checked again at the time
 * of sending (a reply queued for a while may need HUMAN_AGENT, or may no longer be allowed),
 * and Omni's message id goes in `metadata`, so that the echo confirms a send whose answer
 * was lost. A call is only ever repeated when its failure is known, or after the echo had
 * ECHO_WAIT_MS to arrive.
 *
 * Every transaction that settles the message (sent, failed, a reason to retry) writes a
 * 'conversations-changed' outbox entry with it, so the panels learn the outcome even when the
 * process dies right after the commit.
 */
export class OutboundSender {
  constructor(
    private readonly em: EntityManager,
    private readonly graph: SendApi,
    private readonly secrets: SecretBox,
    /** A public, expiring link to a stored file, for Facebook to fetch it from. */
    private readonly publicFileLink: (fileId: string) => string,
    private readonly dispatchCommitted: DispatchCommitted,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async send(messageId: string): Promise<SendOutcome> {
    const claim = await this.claim(messageId);
    if (claim.kind !== 'claimed') {
      await this.dispatchCommitted(claim.outboxEntryIds);
      return claim.outcome;
    }
    const { message, messagingType } = claim;
    const { page, contact } = message.conversation;
    try {
      const { messageId: mid } = await this.graph.sendMessage(
        {
          recipientPsid: contact.psid,
          message: this.contentOf(message),
          ...(messagingType === 'HUMAN_AGENT'
            ? { messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' }
            : { messagingType: 'RESPONSE' }),
        },
        page.openCredentials(this.secrets),
      );
      await this.finish(messageId, (fresh) => {
        fresh.mid ??= mid;
        // The echo may have confirmed it first, or a delivery receipt advanced it.
        if (fresh.status === 'pending') fresh.status = 'sent';
        fresh.sendStartedAt = null;
      });
      return { kind: 'done' };
    } catch (error) {
      if (!(error instanceof GraphApiError)) throw error;
      // Nothing settled: the echo, or the next attempt, tells the panels.
      if (error.isOutcomeUnknown) return { kind: 'check-later', delayMs: ECHO_WAIT_MS };
      if (error.isRetryable && message.sendAttempts < MAX_SEND_ATTEMPTS) {
        await this.finish(messageId, (fresh) => {
          fresh.sendStartedAt = null; // known not sent: the next attempt may go at once
          fresh.error = error.reason;
        });
        return { kind: 'retry', error };
      }
      await this.finish(messageId, (fresh) => {
        if (fresh.status !== 'pending') return;
        fresh.status = 'failed';
        fresh.error = error.reason;
        fresh.sendStartedAt = null;
        if (error.kind === 'invalid_token') {
          // Receiving goes on; sending waits until an admin replaces the token. Page health
          // opens the incident: a banner for the page's operators, a mail to each admin.
          fresh.page.tokenValid = false;
          fresh.page.recordError(error.reason);
          return [
            pageTokenRefused(fresh.tenant.id, fresh.page.id, error.reason),
            ...departmentMenuUnsent(fresh),
          ];
        }
        if (error.kind === 'thread_controlled_by_other_app' && fresh.page.handoverEnabled) {
          // Handover: a bot has the thread. The panel offers to request control.
          fresh.conversation.threadControl = 'other_app';
          return [
            conversationsChanged(fresh.tenant.id, { conversationIds: [fresh.conversation.id] }),
            ...departmentMenuUnsent(fresh),
          ];
        }
        return departmentMenuUnsent(fresh);
      });
      return { kind: 'done' };
    }
  }

  /** Text, or the stored file by a signed link; our id as metadata, for the echo. */
  private contentOf(message: Message): SendMessageRequest['message'] {
    const file = message.attachments[0];
    if (!file?.storedFileId) {
      const quickReplies = message.details['quickReplies'] as QuickReply[] | undefined;
      return {
        text: message.text ?? '',
        metadata: message.id,
        ...(quickReplies ? { quick_replies: quickReplies } : {}),
      };
    }
    const type =
      file.kind === 'image' || file.kind === 'video' || file.kind === 'audio' ? file.kind : 'file';
    return {
      attachment: {
        type,
        payload: { url: this.publicFileLink(file.storedFileId), is_reusable: false },
      },
      metadata: message.id,
    };
  }

  /** Takes the message for one call, or says why not (done, or wait for an echo). */
  private async claim(messageId: string): Promise<Claim> {
    return this.em.fork().transactional(async (em): Promise<Claim> => {
      const message = await em.findOne(Message, messageId, {
        filters: { [TENANT_FILTER]: false },
        populate: ['conversation.contact', 'conversation.page'],
        lockMode: LockMode.PESSIMISTIC_WRITE,
        lockTableAliases: ['m0'],
      });
      const skip = (outcome: SendOutcome, outboxEntryIds: string[] = []): Claim => ({
        kind: 'skip',
        outcome,
        outboxEntryIds,
      });
      if (!message || message.status !== 'pending') return skip({ kind: 'done' });
      // Only replies leave Omni: a note (internal) or a visitor's message never does, whatever
      // job names it.
      if (message.direction !== 'out') return skip({ kind: 'done' });
      const now = this.clock();
      if (message.sendStartedAt) {
        const waited = now.getTime() - message.sendStartedAt.getTime();
        if (waited < ECHO_WAIT_MS) {
          return skip({ kind: 'check-later', delayMs: ECHO_WAIT_MS - waited });
        }
      }
      if (await this.hasEarlierUnsent(em, message)) {
        return skip({ kind: 'check-later', delayMs: ORDER_WAIT_MS });
      }
      const { contact, page } = message.conversation;
      if (!page.tokenValid) {
        // Facebook already refused this token: no call until an admin replaces it.
        return skip({ kind: 'done' }, await this.fail(em, message, DEAD_TOKEN_REASON));
      }
      // HUMAN_AGENT is for a person's replies; Omni's automatic messages go as RESPONSE only.
      const humanAgent = message.source === 'operator' && page.humanAgentEnabled;
      const messagingType = replyMessagingType(contact.lastInboundAt, humanAgent, now);
      if (!messagingType) {
        return skip({ kind: 'done' }, await this.fail(em, message, WINDOW_CLOSED_REASON));
      }
      message.sendStartedAt = now;
      message.sendAttempts += 1;
      message.details = { ...message.details, messagingType };
      return { kind: 'claimed', message, messagingType };
    });
  }

  /** Whether a reply of the same conversation, earlier in its history, is still to be sent. */
  private async hasEarlierUnsent(em: EntityManager, message: Message): Promise<boolean> {
    const earlier = await em.count(
      Message,
      {
        conversation: message.conversation,
        direction: 'out',
        status: 'pending',
        $or: [
          { occurredAt: { $lt: message.occurredAt } },
          { occurredAt: message.occurredAt, id: { $lt: message.id } },
        ],
      },
      { filters: { [TENANT_FILTER]: false } },
    );
    return earlier > 0;
  }

  /** Fails the message without a call, in `em`'s transaction; returns its outbox entries. */
  private fail(em: EntityManager, message: Message, reason: string): Promise<string[]> {
    message.status = 'failed';
    message.error = reason;
    return this.appendMessageChanged(em, message, departmentMenuUnsent(message));
  }

  /** Settles the message after its call, with the outbox entry that tells the panels. */
  private async finish(
    messageId: string,
    change: (message: Message) => OutboxWrite[] | void,
  ): Promise<void> {
    const outboxEntryIds = await this.em.fork().transactional(async (em) => {
      const message = await em.findOneOrFail(Message, messageId, {
        filters: { [TENANT_FILTER]: false },
        populate: ['page', 'conversation'],
        lockMode: LockMode.PESSIMISTIC_WRITE,
        lockTableAliases: ['m0'],
      });
      const follows = change(message) ?? [];
      return this.appendMessageChanged(em, message, follows);
    });
    await this.dispatchCommitted(outboxEntryIds);
  }

  private appendMessageChanged(
    em: EntityManager,
    message: Message,
    follows: OutboxWrite[] = [],
  ): Promise<string[]> {
    return appendToOutbox(sqlIn(em), [
      conversationsChanged(message.tenant.id, { updatedMessageIds: [message.id] }),
      ...follows,
    ]);
  }
}
