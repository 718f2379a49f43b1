import type { EntityManager } from '@mikro-orm/postgresql';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import type { DispatchCommitted } from '../../outbox/outbox.js';
import { Conversation } from '../conversations/conversation.entity.js';
import type { Message } from '../conversations/message.entity.js';
import { storeAutomaticMessage } from '../replies/automatic-message.js';
import { replyMessagingType } from '../conversations/reply-window.js';
import { csatQuickReplies, DEFAULT_CSAT_QUESTIONS } from './csat-survey.js';

/**
 * The satisfaction survey after a close (the tenant's `csat`): its question with quick
 * replies 1–5, stored as an `automatic` message and sent through the replies' outbound path
 * (RESPONSE only: the sender checks the window again when it sends). Asked for by a
 * 'csat-requested' outbox entry written in the close's transaction, so a rolled-back close
 * asks for nothing and a committed one is not lost. One survey per close: its dedup key names
 * the close's time, so PostgreSQL's unique index refuses a second one however often the
 * entry is performed; `csatRequestedAt` records it on the conversation in the same commit.
 */
export class CsatSurveysService {
  constructor(
    private readonly em: EntityManager,
    private readonly dispatchCommitted: DispatchCommitted,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Stores and sends the survey of a closed conversation when due; returns it, or null. */
  async request(conversationId: string): Promise<Message | null> {
    const em = this.em.fork();
    const conversation = await em.findOne(Conversation, conversationId, {
      filters: { [TENANT_FILTER]: false },
      populate: ['tenant', 'contact', 'page'],
    });
    if (!conversation || conversation.status !== 'closed' || !conversation.closedAt) return null;
    const { tenant, contact, closedAt } = conversation;
    if (!tenant.csatEnabled) return null;
    // Beside a bot (handover) the close passes the thread back: the bot talks to the visitor
    // from then on, and a survey from Omni would be refused (2018300) or cut across it.
    if (conversation.page.handoverEnabled) return null;
    if (conversation.csatRequestedAt && conversation.csatRequestedAt >= closedAt) return null;
    const now = this.clock();
    // Never outside the standard 24-hour window: an automatic message is never tagged.
    if (replyMessagingType(contact.lastInboundAt, false, now) !== 'RESPONSE') return null;

    // Recorded with the survey, in its commit (nothing, when this close's survey exists).
    conversation.csatRequestedAt = now;
    return storeAutomaticMessage(
      em,
      this.dispatchCommitted,
      conversation,
      {
        text: tenant.csatQuestion ?? DEFAULT_CSAT_QUESTIONS[tenant.language],
        // One per close, whoever performs its entry and however often.
        dedupKey: `csat:${conversation.id}:${closedAt.getTime()}`,
        details: { csatSurvey: true, quickReplies: csatQuickReplies(conversation.id) },
      },
      now,
    );
  }
}
