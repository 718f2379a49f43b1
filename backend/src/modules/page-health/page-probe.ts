import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../crypto/secret-box.js';
import { TENANT_FILTER } from '../../db/tenant-filter.js';
import type { Logger } from '../../logger.js';
import { FacebookPage } from '../facebook/facebook-page.entity.js';
import { REQUIRED_PERMISSIONS, type GraphClient } from '../facebook/graph/graph-client.js';
import { GraphApiError } from '../facebook/graph/graph-errors.js';
import type { HealthObservation, PageHealthService } from './page-health.service.js';

/** How a probe ended: looked (and recorded), Facebook could not be asked (try later), or no page. */
export type ProbeOutcome = 'recorded' | 'unreachable' | 'gone';

/**
 * Looks at a page before a visitor finds it broken: the daily sweep, a new or changed page,
 * an admin's "check now". What it finds is recorded by PageHealthService.
 */
export class PageProbe {
  constructor(
    private readonly em: EntityManager,
    private readonly graph: GraphClient,
    private readonly secrets: SecretBox,
    private readonly health: Pick<PageHealthService, 'record'>,
    private readonly logger: Logger,
  ) {}

  /**
   * Asks Facebook about the page: `/me` (is the token alive), `/app` when its app is not
   * known yet, then `debug_token` with the app token (what it was granted). Throws nothing
   * of Facebook's: a failure that may pass is 'unreachable', for the caller to try later.
   */
  async probe(pageId: string): Promise<ProbeOutcome> {
    const page = await this.em
      .fork()
      .findOne(FacebookPage, pageId, { filters: { [TENANT_FILTER]: false } });
    if (!page) return 'gone';
    const credentials = page.openCredentials(this.secrets);
    let appId: string;
    try {
      await this.graph.getPageIdentity(credentials);
      appId = page.appId ?? (await this.graph.getTokenApp(credentials)).id;
    } catch (error) {
      if (!(error instanceof GraphApiError)) throw error;
      if (error.kind === 'invalid_token') {
        return this.record(page, { kind: 'token-refused', reason: error.reason });
      }
      return this.recordFailure(page, error, error.reason);
    }
    try {
      const token = await this.graph.debugToken(credentials, appId);
      const granted = new Set(token.scopes);
      return this.record(page, {
        kind: 'probed',
        tokenValid: token.isValid,
        missingPermissions: token.isValid
          ? REQUIRED_PERMISSIONS.filter((permission) => !granted.has(permission))
          : [],
        appId,
        error: token.isValid
          ? null
          : (token.error?.message ?? 'Facebook no longer accepts the token.'),
      });
    } catch (error) {
      if (!(error instanceof GraphApiError)) throw error;
      // The page token works (/me answered); it is the app token (app id and app secret)
      // that Facebook refused here: most likely an app secret of another app.
      return this.recordFailure(
        page,
        error,
        `Facebook refused the app token of app ${appId} (is the app secret the app's?): ${error.reason}`,
      );
    }
  }

  private async record(page: FacebookPage, observation: HealthObservation): Promise<ProbeOutcome> {
    await this.health.record(page.tenant.id, page.id, observation);
    return 'recorded';
  }

  /**
   * Facebook answered, but not about the token: the admin sees why, and the health stays as
   * it was. A failure that may pass records nothing: 'unreachable', try later.
   */
  private async recordFailure(
    page: FacebookPage,
    error: GraphApiError,
    reason: string,
  ): Promise<ProbeOutcome> {
    this.logger.warn({ err: error, pageId: page.id }, 'could not probe a page');
    if (error.isRetryable) return 'unreachable';
    return this.record(page, { kind: 'probed', ...unchanged(page), error: reason });
  }
}

function unchanged(page: FacebookPage) {
  return {
    tokenValid: page.tokenValid,
    missingPermissions: page.missingPermissions,
    appId: page.appId,
  };
}
