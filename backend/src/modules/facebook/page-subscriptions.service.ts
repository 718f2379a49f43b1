import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../crypto/secret-box.js';
import { flushWith } from '../../db/sql.js';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import { appendToOutbox, type OutboxWrite } from '../../outbox/outbox.js';
import type { Logger } from '../../logger.js';
import { FacebookPage } from './facebook-page.entity.js';
import { subscribedFieldsFor, type GraphClient } from './graph/graph-client.js';
import { GraphApiError } from './graph/graph-errors.js';
import { pageTokenRefused } from './page-token-refusal.js';

export const SUBSCRIPTION_CHECK_INTERVAL_MS = 30 * 60 * 1000;

/**
 * Facebook unsubscribes a page after an hour of failed deliveries, and the page then goes
 * silent. This checks every active page's subscription and subscribes it again when fields
 * are missing, recording the outcome on the page's status for its admin.
 */
export class PageSubscriptionsService {
  constructor(
    private readonly em: EntityManager,
    private readonly graph: GraphClient,
    private readonly secrets: SecretBox,
    private readonly logger: Logger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async checkAll(): Promise<{ checked: number; resubscribed: number }> {
    const pages = await this.em.find(
      FacebookPage,
      { active: true },
      { filters: { [TENANT_FILTER]: false } },
    );
    let resubscribed = 0;
    const refusals: OutboxWrite[] = [];
    for (const page of pages) {
      if (await this.check(page, refusals)) resubscribed += 1;
    }
    // The outbox sweep performs the refusals (page health): this job dispatches nothing itself.
    await flushWith(this.em, (sql) => appendToOutbox(sql, refusals));
    return { checked: pages.length, resubscribed };
  }

  /** True when the page had to be subscribed again. One page's failure never stops the others. */
  private async check(page: FacebookPage, refusals: OutboxWrite[]): Promise<boolean> {
    const credentials = page.openCredentials(this.secrets);
    page.subscriptionCheckedAt = this.clock();
    try {
      const fields = new Set(await this.graph.getSubscribedFields(page.pageId, credentials));
      const wanted = subscribedFieldsFor(page);
      if (wanted.every((field) => fields.has(field))) {
        page.subscribed = true;
        return false;
      }
      await this.graph.subscribePage(page.pageId, credentials, wanted);
      page.subscribed = true;
      this.logger.info({ pageId: page.pageId }, 'subscribed a page to the app again');
      return true;
    } catch (error) {
      if (!(error instanceof GraphApiError)) throw error;
      page.subscribed = false;
      page.recordError(`Checking the page's subscription failed: ${error.reason}`, this.clock());
      if (error.kind === 'invalid_token') {
        page.tokenValid = false;
        refusals.push(pageTokenRefused(page.tenant.id, page.id, error.reason));
      }
      return false;
    }
  }
}
