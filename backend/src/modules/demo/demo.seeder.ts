import { randomBytes, randomInt } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../../crypto/secret-box.js';
import { sqlTransaction } from '../../db/sql.js';
import type { Logger } from '../../logger.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import { Department } from '../departments/department.entity.js';
import { FacebookPage } from '../facebook/facebook-page.entity.js';
import type { FileStorage } from '../files/file-storage.js';
import { deleteFileRecordsOfTenant } from '../files/stored-file-records.js';
import { deleteTenantRow } from '../tenants/tenant.repository.js';
import { User } from '../operators/user.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';
import {
  DEMO_DEPARTMENT_NAME,
  DEMO_LOGINS,
  DEMO_PAGE_NAME,
  DEMO_TENANT_NAME,
  SANDBOX_TOKEN_PREFIX,
  demoPassword,
} from './demo-identity.js';

type SeedDependencies = {
  em: EntityManager;
  passwords: PasswordHasher;
  secrets: SecretBox;
  encryptionKey: Buffer;
  logger: Logger;
  /**
   * Production logs are shipped and kept: there the seeder never logs the demo logins'
   * passwords (the login page shows them in demo mode). On a developer's console it does.
   */
  isProduction: boolean;
};

export function findDemoTenant(em: EntityManager): Promise<Tenant | null> {
  return em.findOne(Tenant, { isDemo: true });
}

/**
 * Creates the demo business: department Support, an admin, two operators and a reviewer
 * (passwords derived, see demoPassword), and a sandbox Facebook page (newSandboxPage).
 */
export async function seedDemoTenant({
  em,
  passwords,
  secrets,
  encryptionKey,
  logger,
  isProduction,
}: SeedDependencies): Promise<Tenant> {
  const tenant = new Tenant(DEMO_TENANT_NAME);
  tenant.isDemo = true;
  const support = new Department(tenant, DEMO_DEPARTMENT_NAME);
  const users: User[] = [];
  for (const login of DEMO_LOGINS) {
    const password = demoPassword(encryptionKey, tenant.id, login.email);
    const user = new User(
      tenant,
      login.email,
      login.name,
      await passwords.hash(password),
      login.role,
    );
    if (login.role !== 'admin') user.departments.add(support);
    users.push(user);
  }
  const page = newSandboxPage(tenant, support, secrets);
  await em.persist([tenant, support, ...users, page]).flush();
  const logins = DEMO_LOGINS.map((login) =>
    isProduction
      ? `${login.role} ${login.email}`
      : `${login.role} ${login.email} / ${demoPassword(encryptionKey, tenant.id, login.email)}`,
  );
  logger.info(
    `Created the demo business "${DEMO_TENANT_NAME}". Sign in as ${logins.join(', ')}` +
      (isProduction ? ' (the passwords are on the login page in demo mode).' : '.'),
  );
  return tenant;
}

/**
 * The demo's sandbox page, with a new Facebook id and new credentials: its Graph calls go to
 * Omni's sandbox Graph API. It counts as set up (there is no Facebook to verify its webhook
 * or subscribe it), and has Human Agent on, so the kit's screencast can show a reply after
 * 24 hours.
 */
export function newSandboxPage(
  tenant: Tenant,
  department: Department | null,
  secrets: SecretBox,
): FacebookPage {
  const accessToken = `${SANDBOX_TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
  const appSecret = randomBytes(16).toString('hex');
  const page = new FacebookPage(
    tenant,
    DEMO_PAGE_NAME,
    `9${String(randomInt(0, 2 ** 47)).padStart(15, '0')}`,
    DEMO_PAGE_NAME,
    { accessToken, appSecret },
    secrets,
    randomBytes(18).toString('base64url'),
  );
  page.sandbox = true;
  page.department = department;
  page.humanAgentEnabled = true;
  page.webhookVerifiedAt = new Date();
  page.subscribed = true;
  return page;
}

/** On an empty database (`npm start` the first time), the demo business. */
export async function seedDemoTenantIfEmpty(dependencies: SeedDependencies): Promise<void> {
  if ((await dependencies.em.count(Tenant, {})) > 0) return;
  await seedDemoTenant(dependencies);
}

/** `npm run demo:seed`: the demo business unless it exists. */
export async function ensureDemoTenant(dependencies: SeedDependencies): Promise<void> {
  if (await findDemoTenant(dependencies.em)) {
    dependencies.logger.info('The demo business already exists (npm run demo:reset recreates it).');
    return;
  }
  await seedDemoTenant(dependencies);
}

/**
 * `npm run demo:reset`: deletes the demo business with everything it holds (conversations,
 * messages, files) and seeds it afresh, for a clean screencast.
 */
export async function resetDemoTenant(
  dependencies: SeedDependencies & { storage: Pick<FileStorage, 'remove'> },
): Promise<Tenant> {
  const existing = await findDemoTenant(dependencies.em);
  if (existing) {
    const storageKeys = await sqlTransaction(dependencies.em, async (sql) => {
      const keys = await deleteFileRecordsOfTenant(sql, existing.id);
      await deleteTenantRow(sql, existing.id);
      return keys;
    });
    dependencies.em.clear();
    await dependencies.storage.remove(storageKeys);
  }
  return seedDemoTenant(dependencies);
}
