import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlIn, sqlTransaction } from '../../db/sql.js';
import { appendToOutbox, csatRequested, type DispatchCommitted } from '../../outbox/outbox.js';
import { ConversationStore } from '../conversations/conversation-store.js';
import { appendThreadsReturned } from './threads-returned.js';
import { RoutingRepository } from './routing.repository.js';

/** How often silent chats are looked for; a close may come this much after its due time. */
export const AUTO_CLOSE_SWEEP_INTERVAL_MS = 60_000;
/** Chats closed in one transaction. */
const BATCH_SIZE = 100;

/**
 * Automatic close (the tenant's `autoCloseAfterMinutes`): assigned chats whose visitor has
 * been silent that long close by themselves, batch by batch and tenant by tenant. Each batch
 * commits with its event-log lines and a 'routing-changed' outbox entry, so the panels see
 * the chats close and the freed slots wake the dispatcher, as after a close by hand. Run by
 * one schedule; running twice at once only splits the work (locked rows are skipped).
 */
export class AutoCloseSweeper {
  constructor(
    private readonly em: EntityManager,
    private readonly dispatchCommitted: DispatchCommitted,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Returns how many chats were closed. */
  async sweep(): Promise<number> {
    const tenants = await new ConversationStore(
      sqlIn(this.em),
      this.clock,
    ).tenantsWithIdleCandidates();
    let closedCount = 0;
    for (const tenantId of tenants) {
      const csatEnabled = await new RoutingRepository(sqlIn(this.em)).isCsatEnabled(tenantId);
      for (;;) {
        const batch = await sqlTransaction(this.em, async (sql) => {
          const closed = await new ConversationStore(sql, this.clock).closeIdle(
            tenantId,
            BATCH_SIZE,
          );
          const outboxEntryIds: string[] =
            closed.length === 0
              ? []
              : await appendToOutbox(sql, [
                  {
                    tenantId,
                    kind: 'routing-changed',
                    payload: {
                      conversationIds: closed.map((conversation) => conversation.id),
                      closedConversationIds: closed.map((conversation) => conversation.id),
                      wakeDispatcher: true,
                      firstResponseChecks: [],
                    },
                  },
                  ...(csatEnabled
                    ? [
                        csatRequested(
                          tenantId,
                          closed.map((conversation) => conversation.id),
                        ),
                      ]
                    : []),
                ]);
          const ids = closed.map((conversation) => conversation.id);
          outboxEntryIds.push(...(await appendThreadsReturned(sql, tenantId, ids)));
          return { closed: closed.length, outboxEntryIds };
        });
        await this.dispatchCommitted(batch.outboxEntryIds);
        closedCount += batch.closed;
        if (batch.closed < BATCH_SIZE) break;
      }
    }
    return closedCount;
  }
}
