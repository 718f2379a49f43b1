import type { Sql } from '../../db/sql.js';

/** What /metrics reads of PostgreSQL when it is scraped (never per request or per job). */
export class MetricsRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Conversations waiting in the queue, every tenant together (a tenant is never a label).
   * The partial index of open conversations keeps it off the closed ones.
   */
  async countWaitingConversations(): Promise<number> {
    const [row] = await this.sql.acrossTenants<{ count: string }>(
      `select count(*) as count from conversation where status = 'queued'`,
    );
    return Number(row?.count ?? 0);
  }
}
