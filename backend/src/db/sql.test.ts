import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { sqlIn } from './sql.js';

const TENANT = '0193a1b2-0000-7000-8000-000000000001';

/** An EntityManager whose connection only records what it was asked to run. */
function recordingEm(): { em: EntityManager; executed: { text: string; params: unknown[] }[] } {
  const executed: { text: string; params: unknown[] }[] = [];
  const connection = {
    execute: async (text: string, params: unknown[]) => {
      executed.push({ text, params });
      return [];
    },
  };
  const em = { getConnection: () => connection, getTransactionContext: () => undefined };
  return { em: em as unknown as EntityManager, executed };
}

describe('the SQL helper', () => {
  it("binds :tenant where it stands among a tenant's other parameters", async () => {
    const { em, executed } = recordingEm();
    await sqlIn(em).forTenant(TENANT)(
      `select 1 from conversation c where c.id = ? and c.tenant_id = :tenant
       and c.department_id = any(?::uuid[]) and exists (select 1 from tenant where id = :tenant)`,
      ['c1', '{d1}'],
    );
    expect(executed).toEqual([
      {
        text: `select 1 from conversation c where c.id = ? and c.tenant_id = ?
       and c.department_id = any(?::uuid[]) and exists (select 1 from tenant where id = ?)`,
        params: ['c1', TENANT, '{d1}', TENANT],
      },
    ]);
  });

  it("refuses a tenant's statement that does not name its tenant", async () => {
    const { em, executed } = recordingEm();
    expect(() =>
      sqlIn(em).forTenant(TENANT)('update conversation set status = ? where id = ?', ['x', 'y']),
    ).toThrow(/:tenant/);
    expect(executed).toEqual([]);
  });

  it('refuses parameters that do not match the placeholders', async () => {
    const { em } = recordingEm();
    expect(() =>
      sqlIn(em).forTenant(TENANT)('select 1 from tenant where id = :tenant and ?', []),
    ).toThrow(/parameters/);
  });

  it('takes a cast for what it is, not for the tenant', async () => {
    const { em } = recordingEm();
    expect(() => sqlIn(em).forTenant(TENANT)('select ?::tenant_kind', ['a'])).toThrow(/:tenant/);
  });

  it('runs a statement across tenants as written, and refuses :tenant there', async () => {
    const { em, executed } = recordingEm();
    await sqlIn(em).acrossTenants('select tenant_id from conversation where status = ?', [
      'queued',
    ]);
    expect(executed).toEqual([
      { text: 'select tenant_id from conversation where status = ?', params: ['queued'] },
    ]);
    expect(() => sqlIn(em).acrossTenants('select 1 from tenant where id = :tenant')).toThrow(
      /forTenant/,
    );
  });
});
