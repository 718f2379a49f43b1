import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../../config.js';
import type { SecretBox } from '../../crypto/secret-box.js';
import { flushWith } from '../../db/sql.js';
import { NotFoundError } from '../../errors.js';
import type { DispatchCommitted } from '../../outbox/outbox.js';
import type { Actor } from '../auth/actor.js';
import { FacebookPage } from '../facebook/facebook-page.entity.js';
import { deletePageWithFollowUps } from '../facebook/facebook-page.repository.js';
import type { WebhookSigningKeys } from '../facebook/webhook-signing-keys.js';
import type { FileStorage } from '../files/file-storage.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { newSandboxPage } from './demo.seeder.js';

/**
 * "Reset the demo and start recording": the demo business's conversations start afresh, and
 * whoever clicked stays signed in. Unlike `npm run demo:reset`, which recreates the whole
 * business (new logins), this replaces only the sandbox page, with everything that came
 * through it (contacts, conversations, messages, files, webhook deliveries), by a new one:
 * a new Facebook id gives the simulator's personas new, empty threads too. The business's
 * real pages stay as they are.
 */
export class DemoDataReset {
  constructor(
    private readonly em: EntityManager,
    private readonly config: Pick<Config, 'demoMode'>,
    private readonly secrets: SecretBox,
    private readonly signingKeys: Pick<WebhookSigningKeys, 'forget'>,
    private readonly storage: Pick<FileStorage, 'remove'>,
    private readonly dispatchCommitted: DispatchCommitted,
  ) {}

  async reset(actor: Actor): Promise<void> {
    const missing = new NotFoundError('The demo (a demo business only)');
    if (!this.config.demoMode) throw missing;
    const em = this.em.fork();
    const tenant = await em.findOne(Tenant, { id: actor.tenantId, isDemo: true });
    const old =
      tenant &&
      (await em.findOne(FacebookPage, { tenant, sandbox: true }, { populate: ['department'] }));
    if (!tenant || !old) throw missing;

    em.persist(newSandboxPage(tenant, old.department, this.secrets));
    // The panels drop the old page's chats and their operators get the room back.
    const { storageKeys, outboxEntryIds } = await flushWith(em, (sql) =>
      deletePageWithFollowUps(sql, { id: old.id, tenantId: tenant.id, pageId: old.pageId }),
    );
    this.signingKeys.forget(tenant.id);
    await this.dispatchCommitted(outboxEntryIds);
    await this.storage.remove(storageKeys);
  }
}
