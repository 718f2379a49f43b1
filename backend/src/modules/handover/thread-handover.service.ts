import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../crypto/secret-box.js';
import { flushWith } from '../../db/sql.js';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import { AppError, ConflictError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import {
  appendToOutbox,
  conversationsChanged,
  type DispatchCommitted,
} from '../../outbox/outbox.js';
import type { Actor } from '../auth/actor.js';
import { Conversation } from '../conversations/conversation.entity.js';
import type { ConversationsService } from '../conversations/conversations.service.js';
import type { GraphClient } from '../facebook/graph/graph-client.js';
import { GraphApiError } from '../facebook/graph/graph-errors.js';
import { PAGE_INBOX_APP_ID } from '../facebook/inbound/messenger-events.js';

/** What the handover protocol asks of the Graph API. */
export type HandoverGraph = Pick<
  GraphClient,
  'passThreadControl' | 'requestThreadControl' | 'takeThreadControl'
>;

/** How asking for a thread ended: taken at once (it was idle), or asked of the primary app. */
export type ControlRequestOutcome = 'taken' | 'requested';

/** The note other apps see with Omni's handover calls (`metadata`, under 1,000 characters). */
const REQUEST_METADATA = 'Omni: an operator wants to answer this visitor';
const RETURN_METADATA = 'Omni: the conversation was closed';

/**
 * Omni's side of the Messenger handover protocol on pages where it is secondary receiver
 * beside a primary app (a bot): an operator asks for a thread the bot controls. Closing a
 * conversation Omni controls passes the thread back (ThreadReturns, after the close's
 * commit). What the webhook says of thread control is applied by
 * facebook/inbound/thread-control-events.ts.
 */
export class ThreadHandoverService {
  constructor(
    private readonly em: EntityManager,
    private readonly graph: HandoverGraph,
    private readonly secrets: SecretBox,
    private readonly conversations: Pick<ConversationsService, 'findVisible'>,
    private readonly dispatchCommitted: DispatchCommitted,
  ) {}

  /**
   * Asks Facebook for the visitor's thread: `take_thread_control` first (a secondary app may
   * take an idle thread), then, when that is not allowed, `request_thread_control` (the
   * primary app decides; its pass arrives as a webhook and queues the conversation).
   */
  async requestControl(actor: Actor, conversationId: string): Promise<ControlRequestOutcome> {
    await this.conversations.findVisible(actor, conversationId); // 404 unless visible
    const conversation = await this.em.findOneOrFail(Conversation, conversationId, {
      populate: ['page', 'contact'],
    });
    const { page, contact } = conversation;
    if (!page.handoverEnabled) {
      throw new ConflictError(
        'HANDOVER_NOT_ENABLED',
        'This page does not use the handover protocol, so there is no thread control to ask for.',
      );
    }
    if (conversation.threadControl === 'omni') {
      throw new ConflictError(
        'THREAD_ALREADY_CONTROLLED',
        'Omni already controls this conversation: you can reply.',
      );
    }
    const credentials = page.openCredentials(this.secrets);
    const request = { recipientPsid: contact.psid, metadata: REQUEST_METADATA };
    let outcome: ControlRequestOutcome;
    try {
      try {
        await this.graph.takeThreadControl(request, credentials);
        outcome = 'taken';
      } catch (error) {
        if (!(error instanceof GraphApiError) || !isNotAllowed(error)) throw error;
        await this.graph.requestThreadControl(request, credentials);
        outcome = 'requested';
      }
    } catch (error) {
      if (!(error instanceof GraphApiError)) throw error;
      throw new AppError(
        error.isRetryable ? 'FACEBOOK_UNAVAILABLE' : 'THREAD_CONTROL_REFUSED',
        `Facebook did not hand over the conversation: ${error.reason}`,
        error.isRetryable ? 502 : 409,
      );
    }
    if (outcome === 'taken') {
      conversation.threadControl = 'omni';
      const outboxEntryIds = await flushWith(this.em, (sql) =>
        appendToOutbox(sql, [
          conversationsChanged(actor.tenantId, { conversationIds: [conversationId] }),
        ]),
      );
      await this.dispatchCommitted(outboxEntryIds);
    }
    return outcome;
  }
}

/** Passes closed conversations' threads back to the page's primary app (a worker's job). */
export class ThreadReturns {
  constructor(
    private readonly em: EntityManager,
    private readonly graph: Pick<HandoverGraph, 'passThreadControl'>,
    private readonly secrets: SecretBox,
    private readonly dispatchCommitted: DispatchCommitted,
    private readonly logger: Logger,
  ) {}

  /**
   * The 'thread-control-pass' job: passes a closed conversation's thread back to the app
   * that passed it to Omni (else to the Page Inbox, Facebook's own). A temporary failure
   * throws (the job is retried); a refusal is recorded on the page for its admin and dropped:
   * the close stands either way, and the primary app may take the thread back itself.
   */
  async passBack(conversationId: string): Promise<void> {
    const em = this.em.fork();
    const conversation = await em.findOne(Conversation, conversationId, {
      filters: { [TENANT_FILTER]: false },
      populate: ['page', 'contact'],
    });
    if (!conversation || conversation.status !== 'closed') return; // reopened meanwhile
    const { page, contact } = conversation;
    if (!page.handoverEnabled || conversation.threadControl !== 'omni') return;
    try {
      await this.graph.passThreadControl(
        {
          recipientPsid: contact.psid,
          targetAppId: conversation.threadReturnAppId ?? PAGE_INBOX_APP_ID,
          metadata: RETURN_METADATA,
        },
        page.openCredentials(this.secrets),
      );
      conversation.threadControl = 'other_app';
    } catch (error) {
      if (!(error instanceof GraphApiError) || error.isRetryable) throw error;
      this.logger.warn(
        { conversationId, code: error.code, subcode: error.subcode },
        'Facebook refused to pass a thread back to the primary app',
      );
      page.recordError(
        `Passing a closed conversation back to the primary app failed: ${error.reason}`,
      );
    }
    const outboxEntryIds = await flushWith(em, (sql) =>
      appendToOutbox(sql, [
        conversationsChanged(conversation.tenant.id, { conversationIds: [conversationId] }),
      ]),
    );
    await this.dispatchCommitted(outboxEntryIds);
  }
}

/** Facebook's "not yours to take": a permission error, or another app holding the thread. */
function isNotAllowed(error: GraphApiError): boolean {
  return error.kind === 'permission' || error.kind === 'thread_controlled_by_other_app';
}
