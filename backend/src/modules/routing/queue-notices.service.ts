import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlIn } from '../../db/sql.js';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import type { DispatchCommitted } from '../../outbox/outbox.js';
import { Conversation } from '../conversations/conversation.entity.js';
import type { Message } from '../conversations/message.entity.js';
import { storeAutomaticMessage } from '../replies/automatic-message.js';
import { replyMessagingType } from '../conversations/reply-window.js';
import type { TenantLanguage } from '../tenants/tenant.entity.js';
import { isOpenAt } from '../departments/business-hours.js';
import { Department } from '../departments/department.entity.js';
import { RoutingRepository } from './routing.repository.js';

/** A notice waits this long after the chat starts waiting: most chats are assigned by then. */
export const QUEUE_NOTICE_DELAY_MS = 5_000;
/** The expected wait is the average wait of the chats assigned in this period. */
const RECENT_WAITS_PERIOD_MS = 60 * 60 * 1000;
/** Without recent assignments to go by. */
const DEFAULT_WAIT_MINUTES = 5;

type NoticeTexts = {
  queued: (position: string, minutes: string) => string;
  offline: () => string;
};

/** The automatic messages, in each language a tenant may choose. */
const TEXTS: Record<TenantLanguage, NoticeTexts> = {
  en: {
    queued: (position, minutes) =>
      `Thanks for your message! You are number ${position} in the queue. Expected wait: about ${minutes} min.`,
    offline: () =>
      'Thanks for your message! Our team is offline right now; we will answer as soon as we are back.',
  },
  ru: {
    queued: (position, minutes) =>
      `Спасибо за сообщение! Ваш номер в очереди: ${position}. Примерное время ожидания — около ${minutes} мин.`,
    offline: () =>
      'Спасибо за сообщение! Сейчас все операторы не в сети; мы ответим, как только вернёмся.',
  },
  bn: {
    queued: (position, minutes) =>
      `আপনার বার্তার জন্য ধন্যবাদ! সারিতে আপনার অবস্থান ${position}। আনুমানিক অপেক্ষা: প্রায় ${minutes} মিনিট।`,
    offline: () => 'আপনার বার্তার জন্য ধন্যবাদ! আমাদের দল এখন অফলাইনে আছে; ফিরে এসেই আমরা উত্তর দেব।',
  },
};

/**
 * The queue's automatic messages to a visitor who starts waiting: the department's away
 * message when its business hours have it closed (once per new or reopened conversation);
 * else, by the tenant's settings (each optional), their place and the expected wait, or that
 * nobody of the department is online.
 * Stored as `automatic` messages and sent through the replies' outbound path (RESPONSE only,
 * never tagged): committed with a 'reply-stored' outbox entry, as an operator's reply is, so
 * its send job and the panels' event follow however the process fares. At most one per stay
 * in the queue.
 */
export class QueueNoticesService {
  constructor(
    private readonly em: EntityManager,
    private readonly dispatchCommitted: DispatchCommitted,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Whether the tenant wants any notice at all (spares a job per new chat when not). */
  async isEnabledFor(tenantId: string): Promise<boolean> {
    return new RoutingRepository(sqlIn(this.em)).areQueueNoticesEnabled(tenantId);
  }

  /**
   * Stores the notice due to a conversation still waiting, as pending, and has it sent and
   * shown; returns it, or null when none is due.
   */
  async prepare(conversationId: string): Promise<Message | null> {
    const em = this.em.fork();
    const conversation = await em.findOne(Conversation, conversationId, {
      filters: { [TENANT_FILTER]: false },
      populate: ['tenant', 'contact', 'page'],
    });
    if (!conversation || conversation.status === 'closed' || !conversation.queuedAt) return null;
    const { tenant, contact } = conversation;
    const now = this.clock();
    // Automatic messages are never tagged: only inside the standard 24-hour window.
    if (replyMessagingType(contact.lastInboundAt, false, now) !== 'RESPONSE') return null;

    const repository = new RoutingRepository(sqlIn(em));
    const away = await this.awayNotice(em, repository, conversation, now);
    if (away) return this.store(em, conversation, away.text, away.dedupKey, now);
    if (conversation.status !== 'queued') return null;
    if (!tenant.queueNoticeEnabled && !tenant.offlineNoticeEnabled) return null;

    const departmentId = conversation.department?.id ?? null;
    const online = await repository.countOnlineServing(tenant.id, departmentId);
    const texts = TEXTS[tenant.language];
    const number = new Intl.NumberFormat(tenant.language);
    let text: string;
    if (online === 0) {
      if (!tenant.offlineNoticeEnabled) return null;
      text = texts.offline();
    } else {
      if (!tenant.queueNoticeEnabled) return null;
      const { position, averageWaitSeconds: wait } = await repository.placeAndRecentWait(
        tenant.id,
        { id: conversation.id, queuedAt: conversation.queuedAt, departmentId },
        new Date(now.getTime() - RECENT_WAITS_PERIOD_MS),
      );
      const minutes = wait === null ? DEFAULT_WAIT_MINUTES : Math.max(1, Math.ceil(wait / 60));
      text = texts.queued(number.format(position), number.format(minutes));
    }
    // One per stay in the queue, however often the job runs.
    return this.store(
      em,
      conversation,
      text,
      `notice:${conversation.id}:${conversation.queuedAt.getTime()}`,
      now,
    );
  }

  /**
   * The department's away message, when it is closed by its business hours now: one per
   * episode (a new conversation, or one the visitor's message reopened), whatever happens to
   * the chat in the queue meanwhile.
   */
  private async awayNotice(
    em: EntityManager,
    repository: RoutingRepository,
    conversation: Conversation,
    now: Date,
  ): Promise<{ text: string; dedupKey: string } | null> {
    const departmentId = conversation.department?.id;
    if (!departmentId) return null;
    const department = await em.findOne(Department, departmentId, {
      filters: { [TENANT_FILTER]: false },
    });
    const hours = department?.hours ?? null;
    if (!hours?.awayMessage || isOpenAt(hours, now)) return null;
    const tenantId = conversation.tenant.id;
    const episodeStart = await repository.visitorEpisodeStart(tenantId, conversation.id);
    if (!episodeStart) return null;
    return {
      text: hours.awayMessage,
      dedupKey: `away:${conversation.id}:${episodeStart.getTime()}`,
    };
  }

  /** Stores a notice as pending with its 'reply-stored' outbox entry; null: already stored. */
  private store(
    em: EntityManager,
    conversation: Conversation,
    text: string,
    dedupKey: string,
    now: Date,
  ): Promise<Message | null> {
    return storeAutomaticMessage(em, this.dispatchCommitted, conversation, { text, dedupKey }, now);
  }
}
