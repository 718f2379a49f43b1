import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { encodeKeysetCursor } from '../../http/cursor.js';
import { AuditEntry } from './audit-entry.entity.js';
import {
  AUDIT_PAGE_SIZE,
  toAuditEntryDto,
  type AuditLogPage,
  type ListAuditLogQuery,
} from './audit.schemas.js';

/**
 * Reads the tenant's audit log (the tenant filter scopes it), newest first, a page at a
 * time. Entries are written by `recordAudit` in the transactions of the changes themselves.
 */
export class AuditService {
  constructor(private readonly em: EntityManager) {}

  async list(query: ListAuditLogQuery): Promise<AuditLogPage> {
    const limit = query.limit ?? AUDIT_PAGE_SIZE;
    const where: FilterQuery<AuditEntry>[] = [];
    if (query.actorId) where.push({ actor: query.actorId });
    if (query.action) where.push({ action: query.action });
    if (query.targetType) where.push({ targetType: query.targetType });
    if (query.from) where.push({ createdAt: { $gte: query.from } });
    if (query.to) where.push({ createdAt: { $lt: query.to } });
    if (query.cursor) {
      const { at, id } = query.cursor;
      where.push({ $or: [{ createdAt: { $lt: at } }, { createdAt: at, id: { $lt: id } }] });
    }
    const entries = await this.em.find(AuditEntry, where.length > 0 ? { $and: where } : {}, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      limit: limit + 1,
    });
    const page = entries.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toAuditEntryDto),
      nextCursor:
        entries.length > limit && last
          ? encodeKeysetCursor({ at: last.createdAt, id: last.id })
          : null,
    };
  }
}
