import { describe, expect, it, vi } from 'vitest';
import { SecretBox } from '../../crypto/secret-box.js';
import { connectFacebookPage, signUpTenant, useTestApi } from '../../testing/test-api.js';
import {
  SIGNING_KEYS_RELOAD_INTERVAL_MS,
  SIGNING_KEYS_TTL_MS,
  UNKNOWN_KEY_TTL_MS,
  WebhookSigningKeys,
} from './webhook-signing-keys.js';

const api = useTestApi();

/** Keys as another api instance holds them: its own cache and clock. */
function anotherInstance() {
  const clock = { now: 1_000_000 };
  const em = api.orm.em.fork();
  const keys = new WebhookSigningKeys(em, new SecretBox(api.config.encryptionKey), () => clock.now);
  return { keys, clock, em };
}

describe('webhook signing keys', () => {
  it('hold every page secret of the tenant, and nothing for an unknown key', async () => {
    const admin = await signUpTenant(api);
    const connected = await connectFacebookPage(api, admin.token);
    const { keys } = anotherInstance();

    const loaded = await keys.lookup(admin.tenant.key);
    expect(loaded?.tenantId).toBe(admin.tenant.id);
    expect([...(loaded?.appSecrets ?? [])]).toEqual([[connected.page.pageId, connected.appSecret]]);
    expect(await keys.lookup('no-such-tenant')).toBeNull();
  });

  it('see a page added elsewhere after a miss, at most once a second, and always after the TTL', async () => {
    const admin = await signUpTenant(api);
    await connectFacebookPage(api, admin.token);
    const { keys, clock } = anotherInstance();
    const before = (await keys.lookup(admin.tenant.key))!;

    const added = await connectFacebookPage(api, admin.token);
    expect(await keys.lookup(admin.tenant.key)).toBe(before);
    expect(await keys.reloadAfterMiss(before, admin.tenant.key)).toBe(before);

    clock.now += SIGNING_KEYS_RELOAD_INTERVAL_MS;
    const reloaded = await keys.reloadAfterMiss(before, admin.tenant.key);
    expect(reloaded.appSecrets.get(added.page.pageId)).toBe(added.appSecret);

    const third = await connectFacebookPage(api, admin.token);
    clock.now += SIGNING_KEYS_TTL_MS;
    const expired = (await keys.lookup(admin.tenant.key))!;
    expect(expired.appSecrets.get(third.page.pageId)).toBe(third.appSecret);
  });

  it("forget a tenant's keys when told its pages changed", async () => {
    const admin = await signUpTenant(api);
    const first = await connectFacebookPage(api, admin.token);
    const { keys } = anotherInstance();
    await keys.lookup(admin.tenant.key);
    const second = await connectFacebookPage(api, admin.token);

    keys.forget(admin.tenant.id);
    const fresh = (await keys.lookup(admin.tenant.key))!;
    expect([...fresh.appSecrets.keys()].sort()).toEqual(
      [first.page.pageId, second.page.pageId].sort(),
    );
  });

  it('ask PostgreSQL about an unknown key once a minute, however often it is asked for', async () => {
    const { keys, clock, em } = anotherInstance();
    const queries = vi.spyOn(em, 'fork'); // every load works in a fork of its own
    for (let request = 0; request < 100; request++)
      expect(await keys.lookup('no-such-key')).toBeNull();
    expect(queries).toHaveBeenCalledTimes(1);
    expect(await keys.lookup('k'.repeat(65))).toBeNull(); // longer than any tenant key
    expect(queries).toHaveBeenCalledTimes(1);
    clock.now += UNKNOWN_KEY_TTL_MS;
    expect(await keys.lookup('no-such-key')).toBeNull();
    expect(queries).toHaveBeenCalledTimes(2);
  });
});
