import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../../config.js';
import { NotFoundError } from '../../errors.js';
import type { Actor } from '../auth/actor.js';
import { FacebookPage } from '../facebook/facebook-page.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { DEMO_LOGINS, demoPassword } from './demo-identity.js';
import type { DemoInfo, DemoLogin, ReviewKit } from './demo.schemas.js';
import { findDemoTenant } from './demo.seeder.js';

/** What the login page and the App Review kit show about the demo business. */
export class DemoService {
  constructor(
    private readonly em: EntityManager,
    private readonly config: Pick<Config, 'demoMode' | 'encryptionKey' | 'publicUrl'>,
  ) {}

  /** Public: in demo mode, the demo logins with their passwords (they are meant to be shared). */
  async info(): Promise<DemoInfo> {
    if (!this.config.demoMode) return { enabled: false, logins: [] };
    const tenant = await findDemoTenant(this.em);
    return { enabled: true, logins: tenant ? this.logins(tenant.id) : [] };
  }

  /** The reviewer's login and the addresses their test steps need. */
  async reviewKit(actor: Actor): Promise<ReviewKit> {
    const missing = new NotFoundError('The App Review kit (a demo business only)');
    if (!this.config.demoMode) throw missing;
    const tenant = await this.em.findOne(Tenant, { id: actor.tenantId, isDemo: true });
    const pages = tenant
      ? await this.em.find(
          FacebookPage,
          { tenant, active: true },
          { orderBy: { sandbox: 'desc', name: 'asc' } },
        )
      : [];
    const page = pages.find((candidate) => candidate.sandbox);
    if (!tenant || !page) throw missing;
    const { publicUrl } = this.config;
    return {
      loginUrl: `${publicUrl}/login`,
      panelUrl: `${publicUrl}/workspace`,
      simulatorUrl: `${publicUrl}/simulator`,
      callbackUrl: tenant.callbackUrl(publicUrl),
      dataDeletionUrl: tenant.dataDeletionUrl(publicUrl),
      pageName: page.pageName,
      logins: this.logins(tenant.id).filter((login) => login.role === 'reviewer'),
      pages: pages.map((each) => ({
        id: each.id,
        name: each.name,
        pageName: each.pageName,
        pageId: each.pageId,
        sandbox: each.sandbox,
        messengerUrl: `https://m.me/${each.pageId}`,
      })),
    };
  }

  private logins(tenantId: string): DemoLogin[] {
    return DEMO_LOGINS.map((login) => ({
      ...login,
      password: demoPassword(this.config.encryptionKey, tenantId, login.email),
    }));
  }
}
