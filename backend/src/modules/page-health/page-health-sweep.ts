import type { EntityManager } from '@mikro-orm/postgresql';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import { FacebookPage } from '../facebook/facebook-page.entity.js';

/** Every page is probed once a day… */
export const PAGE_HEALTH_SWEEP_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** …its probes spread over this window, so that Facebook never sees every page at once. */
export const PAGE_HEALTH_SPREAD_MS = 60 * 60 * 1000;

/**
 * Plans the daily probes: one 'page-health-check' job per active page, spread evenly over
 * PAGE_HEALTH_SPREAD_MS. Each job's id names the page and the day, so a sweep run twice in
 * a day (two workers, a restart) queues nothing twice; a probe that runs twice records the
 * same health twice, which changes nothing. No lock is needed.
 */
export class PageHealthSweep {
  constructor(
    private readonly em: EntityManager,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async plan(): Promise<{ payload: { pageId: string }; jobId: string; delay: number }[]> {
    const pages = await this.em
      .fork()
      .find(
        FacebookPage,
        { active: true },
        { filters: { [TENANT_FILTER]: false }, fields: ['id'], orderBy: { id: 'asc' } },
      );
    const day = Math.floor(this.clock().getTime() / PAGE_HEALTH_SWEEP_INTERVAL_MS);
    const gap = pages.length > 0 ? Math.floor(PAGE_HEALTH_SPREAD_MS / pages.length) : 0;
    return pages.map((page, index) => ({
      payload: { pageId: page.id },
      jobId: `page-health-${page.id}-${day}`,
      delay: index * gap,
    }));
  }
}
