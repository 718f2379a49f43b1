import { EntitySchema } from '@mikro-orm/core';
import { TenantOwnedEntity } from '../../db/tenant-owned.entity.js';
import type { FacebookPage } from '../facebook/facebook-page.entity.js';

/**
 * A span of time during which a page could not work (its token died, or a permission it
 * needs was missing). A page has at most one open incident (a partial unique index): its
 * admins are mailed when it opens, its banner goes when it closes, and the next failure
 * opens a new one. Rows are written by page-health.repository.ts.
 */
export class PageIncident extends TenantOwnedEntity {
  reason!: string;
  closedAt: Date | null = null;

  constructor(public page: FacebookPage) {
    super(page.tenant);
  }
}

export const PageIncidentSchema = new EntitySchema<PageIncident, TenantOwnedEntity>({
  class: PageIncident,
  extends: 'TenantOwnedEntity',
  properties: {
    page: { kind: 'm:1', entity: 'FacebookPage', deleteRule: 'cascade', index: true },
    reason: { type: 'text' },
    closedAt: { type: 'datetime', nullable: true },
  },
  indexes: [
    {
      name: 'page_incident_open_unique',
      expression:
        'create unique index "page_incident_open_unique" on "page_incident" ("page_id") where "closed_at" is null',
    },
  ],
});
