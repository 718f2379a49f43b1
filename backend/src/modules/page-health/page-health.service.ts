import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { sqlIn } from '../../db/sql.js';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import type { Logger } from '../../logger.js';
import { appendToOutbox, type DispatchCommitted, type OutboxWrite } from '../../outbox/outbox.js';
import type { Actor } from '../auth/actor.js';
import { loadViewer } from '../conversations/conversation-visibility.js';
import { FacebookPage } from '../facebook/facebook-page.entity.js';
import {
  closeIncident,
  findAdminIds,
  findOpenIncidents,
  openIncident,
} from './page-health.repository.js';
import {
  incidentKindOf,
  isHealthy,
  toPageHealthDto,
  type PageHealthDto,
} from './page-health.schemas.js';

/** What one look at a page found. */
export type HealthObservation =
  /** Facebook answered: the token works or not, and what it lacks. */
  | {
      kind: 'probed';
      tokenValid: boolean;
      missingPermissions: string[];
      appId: string | null;
      error: string | null;
    }
  /** A call made for other work (a send, a profile, a subscription) was refused with 190. */
  | { kind: 'token-refused'; reason: string };

/**
 * A page's health, and the people told when it breaks. Every observation (the daily probe,
 * an admin's check, a send refused with 190) is recorded here, in one transaction that locks
 * the page row: a page that turns unhealthy opens an incident (one per outage, unique in
 * PostgreSQL), which mails every admin once and shows a banner to the page's operators
 * ('page.updated', through the outbox); a page that recovers closes it, so its next outage
 * is a new incident with new mails.
 */
export class PageHealthService {
  constructor(
    private readonly em: EntityManager,
    private readonly dispatchCommitted: DispatchCommitted,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Records that Facebook refused the page's token ('page-token-refused' entries). */
  async recordTokenRefusal(tenantId: string, pageId: string, reason: string): Promise<void> {
    await this.record(tenantId, pageId, { kind: 'token-refused', reason });
  }

  /** The active pages the actor works with, and their health, by name. */
  async listVisible(actor: Actor): Promise<PageHealthDto[]> {
    const viewer = await loadViewer(this.em, actor);
    const pages = await this.em.find(
      FacebookPage,
      {
        active: true,
        ...(viewer.role === 'admin'
          ? {}
          : { $or: [{ department: null }, { department: { $in: [...viewer.departmentIds] } }] }),
      },
      { orderBy: { name: 'asc' } },
    );
    const incidents = await findOpenIncidents(
      sqlIn(this.em),
      actor.tenantId,
      pages.map((page) => page.id),
    );
    return pages.map((page) => toPageHealthDto(page, incidents.get(page.id) ?? null));
  }

  /** The page's health now, as `page.updated` carries it (null when it is gone). */
  async describe(tenantId: string, pageId: string): Promise<PageHealthDto | null> {
    const em = this.em.fork();
    const page = await em.findOne(
      FacebookPage,
      { id: pageId, tenant: tenantId },
      { filters: { [TENANT_FILTER]: false } },
    );
    if (!page) return null;
    const incidents = await findOpenIncidents(sqlIn(em), tenantId, [pageId]);
    return toPageHealthDto(page, incidents.get(pageId) ?? null);
  }

  /**
   * Applies the observation with the page row locked, opens or closes its incident, and
   * writes what follows (the panels' event, the admins' mails) in the same transaction.
   */
  async record(tenantId: string, pageId: string, observation: HealthObservation): Promise<void> {
    const outboxEntryIds = await this.em.fork().transactional(async (em) => {
      const page = await em.findOne(
        FacebookPage,
        { id: pageId, tenant: tenantId },
        { filters: { [TENANT_FILTER]: false }, lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!page) return [];
      const before = fingerprint(page);
      this.apply(page, observation);
      await em.flush();

      const sql = sqlIn(em);
      const ref = { tenantId, id: page.id };
      const follows: OutboxWrite[] = [];
      if (isHealthy(page)) {
        await closeIncident(sql, ref);
      } else {
        const incidentId = await openIncident(sql, ref, {
          id: uuidv7(),
          kind: incidentKindOf(page),
        });
        if (incidentId) {
          this.logger.warn(
            { pageId: page.id, tenantId },
            'a page stopped working: incident opened',
          );
          for (const adminId of await findAdminIds(sql, tenantId)) {
            follows.push({
              tenantId,
              kind: 'mail-requested',
              payload: { kind: 'page-incident', id: incidentId, recipientId: adminId },
            });
          }
        }
      }
      if (fingerprint(page) !== before || follows.length > 0) {
        follows.push({ tenantId, kind: 'page-health-changed', payload: { id: page.id } });
      }
      return appendToOutbox(sql, follows);
    });
    await this.dispatchCommitted(outboxEntryIds);
  }

  private apply(page: FacebookPage, observation: HealthObservation): void {
    const now = this.clock();
    if (observation.kind === 'token-refused') {
      page.tokenValid = false;
      page.recordError(observation.reason, now);
      return;
    }
    page.tokenValid = observation.tokenValid;
    page.missingPermissions = observation.missingPermissions;
    page.appId = observation.appId;
    page.healthCheckedAt = now;
    if (observation.error) page.recordError(observation.error, now);
  }
}

/** What the panels show of a page's health: an event goes out when it changes. */
function fingerprint(page: FacebookPage): string {
  return JSON.stringify([page.tokenValid, [...page.missingPermissions].sort()]);
}
