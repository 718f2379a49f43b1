import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../logger.js';
import type { PasswordHasher } from '../auth/passwords.js';
import { Department } from '../departments/department.entity.js';
import { User } from '../operators/user.entity.js';
import { Tenant } from '../tenants/tenant.entity.js';

export const DEMO_ADMIN_EMAIL = 'admin@demo.omni.test';
export const DEMO_OPERATOR_EMAIL = 'operator@demo.omni.test';

/**
 * On an empty database, creates a demo business to look around in: a department, an admin
 * and an operator. Passwords are random and printed once. Never runs when any tenant exists.
 */
export async function seedDemoTenantIfEmpty(
  em: EntityManager,
  passwords: PasswordHasher,
  logger: Logger,
): Promise<void> {
  if ((await em.count(Tenant)) > 0) return;
  const tenant = new Tenant('Demo Company');
  const support = new Department(tenant, 'Support');
  const adminPassword = randomBytes(9).toString('base64url');
  const operatorPassword = randomBytes(9).toString('base64url');
  const admin = new User(
    tenant,
    DEMO_ADMIN_EMAIL,
    'Demo Admin',
    await passwords.hash(adminPassword),
    'admin',
  );
  const operator = new User(
    tenant,
    DEMO_OPERATOR_EMAIL,
    'Demo Operator',
    await passwords.hash(operatorPassword),
    'operator',
  );
  admin.departments.add(support);
  operator.departments.add(support);
  await em.persist([tenant, support, admin, operator]).flush();
  // Deliberately in the message text: these are throwaway demo credentials, shown once.
  logger.info(
    `Created the demo business. Sign in as admin ${DEMO_ADMIN_EMAIL} / ${adminPassword} ` +
      `or operator ${DEMO_OPERATOR_EMAIL} / ${operatorPassword} (shown once).`,
  );
}
