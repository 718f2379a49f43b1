import type { Sql } from '../../db/sql.js';

/** The replies' statements across tenants (the sweep's). */
export class RepliesRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Replies of every tenant still pending, stored before `createdBefore`, whose send did
   * not start or started before `sendStartedBefore`; oldest first.
   */
  pendingReplies(
    createdBefore: Date,
    sendStartedBefore: Date,
    limit: number,
  ): Promise<{ id: string; created_at: Date }[]> {
    return this.sql.acrossTenants(
      `select id, created_at from message
       where status = 'pending' and direction = 'out' and created_at < ?
         and (send_started_at is null or send_started_at < ?)
       order by created_at limit ?`,
      [createdBefore, sendStartedBefore, limit],
    );
  }
}
