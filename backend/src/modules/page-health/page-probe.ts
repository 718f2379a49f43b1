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
    let observation: HealthObservation;
    try {
      await this.graph.getPageIdentity(credentials);
      const appId = page.appId ?? (await this.graph.getTokenApp(credentials)).id;
      const token = await this.graph.debugToken(credentials, appId);
      const granted = new Set(token.scopes);
      observation = {
        kind: 'probed',
        tokenValid: token.isValid,
        missingPermissions: token.isValid
          ? REQUIRED_PERMISSIONS.filter((permission) => !granted.has(permission))
          : [],
        appId,
        error: token.isValid
          ? null
          : (token.error?.message ?? 'Facebook no longer accepts the token.'),
      };
    } catch (error) {
      if (!(error instanceof GraphApiError)) throw error;
      if (error.kind === 'invalid_token') {
        observation = { kind: 'token-refused', reason: error.reason };
      } else {
        this.logger.warn({ err: error, pageId }, 'could not probe a page');
        if (error.isRetryable) return 'unreachable';
        // Facebook answered, but not about the token (an app secret that does not match the
        // app, say): the admin sees why; the health stays as it was.
        observation = { kind: 'probed', ...unchanged(page), error: error.reason };
      }
    }
    await this.health.record(page.tenant.id, page.id, observation);
    return 'recorded';
  }
}

function unchanged(page: FacebookPage) {
  return {
    tokenValid: page.tokenValid,
    missingPermissions: page.missingPermissions,
    appId: page.appId,
  };
}
