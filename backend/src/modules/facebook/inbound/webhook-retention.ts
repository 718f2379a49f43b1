import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlIn } from '../../../db/sql.js';
import { InboundStore } from './inbound-store.js';

export const RETENTION_SWEEP_INTERVAL_MS = 60 * 60_000;
/** Rows per DELETE: each statement holds its row locks only briefly, never the table. */
export const RETENTION_BATCH_SIZE = 1_000;
const DAY_MS = 24 * 60 * 60_000;

/**
 * Keeps webhook deliveries (and so visitors' raw messages) only as long as they are useful
 * for diagnosis: once done — processed, ignored or failed — and older than the retention,
 * the row goes, not just its body. The messages themselves are in `message`; a row without
 * its body could neither be shown nor replayed by the deliveries inspector, and rows kept
 * forever would grow the table with every delivery. Pending deliveries stay, however old:
 * they are still work to do.
 */
export class WebhookRetention {
  constructor(
    private readonly em: EntityManager,
    private readonly retentionDays: number,
    private readonly batchSize = RETENTION_BATCH_SIZE,
  ) {}

  /** Deletes expired deliveries batch after batch; how many went. Running it twice is harmless. */
  async removeExpired(now = new Date()): Promise<number> {
    const receivedBefore = new Date(now.getTime() - this.retentionDays * DAY_MS);
    const store = new InboundStore(sqlIn(this.em));
    let removed = 0;
    for (;;) {
      const deleted = await store.deleteFinished(receivedBefore, this.batchSize);
      removed += deleted;
      if (deleted < this.batchSize) return removed;
    }
  }
}
