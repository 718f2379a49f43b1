import { v7 as uuidv7 } from 'uuid';
import { pgArray, pgRecords, type Sql } from '../../db/sql.js';
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

/** A visitor about to be erased, locked: their page (Omni's row and Facebook's id) and PSID. */
export type ContactToErase = {
  id: string;
  pageRowId: string;
  pageId: string;
  psid: string;
  isErased: boolean;
};

/** One of the erased visitor's conversations, locked, as it was. */
export type ConversationToErase = { id: string; status: string; operatorId: string | null };

/**
 * The statements of a visitor's erasure (ContactsService.erase), each in its transaction.
 * Locks go contact first, then its conversations: the order the inbound batch takes them.
 */
export class ContactErasureRepository {
  constructor(private readonly sql: Sql) {}

  async lockContact(tenantId: string, contactId: string): Promise<ContactToErase | null> {
    const [row] = await this.sql.forTenant(tenantId)<{
      id: string;
      page_id: string;
      facebook_page_id: string;
      psid: string;
      erased_at: string | null;
    }>(
      `select c.id, c.page_id, p.page_id as facebook_page_id, c.psid, c.erased_at
       from contact c join facebook_page p on p.id = c.page_id
       where c.id = ? and c.tenant_id = :tenant
       for update of c`,
      [contactId],
    );
    return row
      ? {
          id: row.id,
          pageRowId: row.page_id,
          pageId: row.facebook_page_id,
          psid: row.psid,
          isErased: row.erased_at !== null,
        }
      : null;
  }

  async lockConversations(tenantId: string, contactId: string): Promise<ConversationToErase[]> {
    const rows = await this.sql.forTenant(tenantId)<{
      id: string;
      status: string;
      operator_id: string | null;
    }>(
      `select id, status, operator_id from conversation
       where contact_id = ? and tenant_id = :tenant order by id for update`,
      [contactId],
    );
    return rows.map((row) => ({ id: row.id, status: row.status, operatorId: row.operator_id }));
  }

  /** Deletes every message of these conversations (notes too); returns their ids. */
  async deleteMessages(tenantId: string, conversationIds: string[]): Promise<string[]> {
    if (conversationIds.length === 0) return [];
    const rows = await this.sql.forTenant(tenantId)<{ id: string }>(
      `delete from message where tenant_id = :tenant and conversation_id = any(?::uuid[])
       returning id`,
      [pgArray(conversationIds)],
    );
    return rows.map((row) => row.id);
  }

  /** Deletes the outbound webhook deliveries about these conversations, pending ones too. */
  async deleteWebhookDeliveries(tenantId: string, conversationIds: string[]): Promise<void> {
    if (conversationIds.length === 0) return;
    await this.sql.forTenant(tenantId)(
      `delete from outbound_webhook_delivery
       where tenant_id = :tenant and conversation_id = any(?::uuid[])`,
      [pgArray(conversationIds)],
    );
  }

  /**
   * Moves the conversations to a new anonymous stand-in (no name, photo, PSID or reply
   * window; `erased_at` set) and deletes the visitor's row. A deleted row, rather than one
   * emptied, is what nothing can fill again: a profile fetch that was under way updates no
   * row, and the visitor's next message creates a new contact from their PSID. Returns the
   * stand-in's id.
   */
  async replaceWithStandIn(
    tenantId: string,
    contact: ContactToErase,
    conversationIds: string[],
  ): Promise<string> {
    const standInId = uuidv7();
    const tenantSql = this.sql.forTenant(tenantId);
    await tenantSql(
      `insert into contact (id, tenant_id, page_id, psid, profile_status, erased_at)
       values (?, :tenant, ?, ?, 'unavailable', now())`,
      // Not a PSID (those are digits): no message of Facebook's ever names this contact.
      [standInId, contact.pageRowId, `erased:${standInId}`],
    );
    await tenantSql(
      `update conversation set contact_id = ?, unread_count = 0, updated_at = now()
       where tenant_id = :tenant and id = any(?::uuid[])`,
      [standInId, pgArray(conversationIds)],
    );
    await tenantSql(`delete from contact where id = ? and tenant_id = :tenant`, [contact.id]);
    return standInId;
  }
}
