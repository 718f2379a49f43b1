import { pgRecords, type Sql } from '../../db/sql.js';
import type { Episode } from './contact-episodes.js';

/** The visitor's history as set-based reads. */
export class ContactsRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * The first message of each episode (null when it has none), in one statement: the
   * conversation's first message after the previous episode closed and before this one did.
   */
  async firstMessageIds(tenantId: string, episodes: Episode[]): Promise<(string | null)[]> {
    if (episodes.length === 0) return [];
    const rows = await this.sql.forTenant(tenantId)<{
      position: number;
      message_id: string | null;
    }>(
      `select r.position, (
         select m.id from message m
         where m.conversation_id = r.conversation_id and m.tenant_id = :tenant
           and (r.after is null or m.occurred_at > r.after)
           and (r.until is null or m.occurred_at <= r.until)
         order by m.occurred_at, m.id
         limit 1) as message_id
       from jsonb_to_recordset(?::jsonb) as r(position int, conversation_id uuid, after timestamptz,
         until timestamptz)`,
      [
        pgRecords(
          episodes.map((episode, position) => ({
            position,
            conversation_id: episode.conversationId,
            after: episode.after,
            until: episode.closedAt,
          })),
        ),
      ],
    );
    const byPosition = new Map(rows.map((row) => [row.position, row.message_id]));
    return episodes.map((_episode, position) => byPosition.get(position) ?? null);
  }
}
