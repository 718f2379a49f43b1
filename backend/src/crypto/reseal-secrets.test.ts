import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { describe, expect, it } from 'vitest';
import { sealedSecretColumns } from '../db/entities.js';
import { createLogger } from '../logger.js';
import { totpCodeAt } from '../modules/auth/totp.js';
import { FacebookPage } from '../modules/facebook/facebook-page.entity.js';
import { User } from '../modules/operators/user.entity.js';
import { connectFacebookPage, signUpTenant, useTestApi } from '../testing/test-api.js';
import { resealSecrets } from './reseal-secrets.js';
import { SecretBox } from './secret-box.js';
import { sealAsV1 } from '../testing/secret-box-fixtures.js';

/**
 * Issue 13, point 9: rotating ENCRYPTION_KEY. The file has its own database: the command
 * works on every row, and its counts must not see other files' pages.
 */
const api = useTestApi({}, { ownDatabase: true });
const logger = createLogger({ logLevel: 'silent', env: 'test' });

const em = () => api.orm.em.fork() as EntityManager;

async function loadPage(id: string): Promise<FacebookPage> {
  return em().findOneOrFail(FacebookPage, id, { filters: false });
}

async function setColumns(id: string, accessTokenSealed: string, appSecretSealed: string) {
  await em()
    .getConnection()
    .execute(
      'update facebook_page set access_token_sealed = ?, app_secret_sealed = ? where id = ?',
      [accessTokenSealed, appSecretSealed, id],
    );
}

async function connectPages(count: number) {
  const admin = await signUpTenant(api);
  const pages = [];
  for (let index = 0; index < count; index++)
    pages.push(await connectFacebookPage(api, admin.token));
  return pages;
}

const reseal = (secrets: SecretBox, batchSize = 1) =>
  resealSecrets({ em: em(), secrets, tables: sealedSecretColumns, logger, batchSize });

describe('reseal-secrets', () => {
  it('moves every secret to the current key and v2, readable without the previous key; again changes nothing', async () => {
    const oldKey = api.config.encryptionKey;
    const pages = await connectPages(3);
    // One page still holds values of the first format (v1, before row binding).
    const legacy = pages[2]!;
    await setColumns(
      legacy.page.id,
      sealAsV1(oldKey, legacy.accessToken),
      sealAsV1(oldKey, legacy.appSecret),
    );

    const newKey = randomBytes(32);
    const rotating = new SecretBox(newKey, oldKey);
    // During the rotation every value opens, whatever its key or format.
    for (const { page, accessToken, appSecret } of pages) {
      expect((await loadPage(page.id)).openCredentials(rotating)).toEqual({
        accessToken,
        appSecret,
      });
    }

    // Two runs at once, as beside a running Omni: each row is resealed exactly once.
    const reports = await Promise.all([reseal(rotating), reseal(rotating)]);
    expect(reports.reduce((sum, report) => sum + report.resealed, 0)).toBe(3);
    expect(reports.flatMap((report) => report.unreadable)).toEqual([]);

    const afterRotation = new SecretBox(newKey); // ENCRYPTION_KEY_PREVIOUS removed
    for (const { page, accessToken, appSecret } of pages) {
      const stored = await loadPage(page.id);
      expect(stored.accessTokenSealed.startsWith(afterRotation.currentPrefix)).toBe(true);
      expect(stored.appSecretSealed.startsWith(afterRotation.currentPrefix)).toBe(true);
      expect(stored.openCredentials(afterRotation)).toEqual({ accessToken, appSecret });
      expect(() => stored.openCredentials(new SecretBox(oldKey))).toThrow();
    }

    expect(await reseal(rotating, 100)).toEqual({ resealed: 0, unreadable: [] });
    expect(await reseal(afterRotation, 100)).toEqual({ resealed: 0, unreadable: [] });
  });

  it('names the values neither key opens and leaves them, moving on to the next rows', async () => {
    const [first, second] = await connectPages(2);
    const current = new SecretBox(api.config.encryptionKey);
    const stranger = sealAsV1(randomBytes(32), 'lost');
    await setColumns(
      first!.page.id,
      stranger,
      sealAsV1(api.config.encryptionKey, first!.appSecret),
    );
    await setColumns(
      second!.page.id,
      sealAsV1(api.config.encryptionKey, second!.accessToken),
      sealAsV1(api.config.encryptionKey, second!.appSecret),
    );

    const report = await reseal(current);
    // (The first test's pages, sealed with a key this box lacks, are reported too.)
    const ours = [first!.page.id, second!.page.id];
    expect(report.unreadable.filter(({ id }) => ours.includes(id))).toEqual([
      { table: 'facebook_page', column: 'access_token_sealed', id: first!.page.id },
    ]);
    expect((await loadPage(first!.page.id)).accessTokenSealed).toBe(stranger);
    expect((await loadPage(first!.page.id)).openAppSecret(current)).toBe(first!.appSecret);
    expect((await loadPage(second!.page.id)).openCredentials(current)).toEqual({
      accessToken: second!.accessToken,
      appSecret: second!.appSecret,
    });
  });

  it('binds stored secrets to their page and column: copied elsewhere, they do not open', async () => {
    const [victim, attacker] = await connectPages(2);
    const secrets = new SecretBox(api.config.encryptionKey);
    const stolen = await loadPage(victim!.page.id);
    // Another row…
    await setColumns(attacker!.page.id, stolen.accessTokenSealed, stolen.appSecretSealed);
    const moved = await loadPage(attacker!.page.id);
    expect(() => moved.openAccessToken(secrets)).toThrow('does not open');
    expect(() => moved.openAppSecret(secrets)).toThrow('does not open');
    // …or the other column of the same row.
    await setColumns(victim!.page.id, stolen.appSecretSealed, stolen.accessTokenSealed);
    await expect(() =>
      loadPage(victim!.page.id).then((page) => page.openAccessToken(secrets)),
    ).rejects.toThrow('does not open');
  });
});

describe('reseal-secrets: two-factor secrets', () => {
  it('moves the users’ TOTP secrets, enabled and pending, to the current key; they keep working', async () => {
    const oldKey = api.config.encryptionKey;
    const enabled = await signUpTenant(api);
    const setup = await api.request('POST', '/api/me/2fa/setup', { token: enabled.token });
    const secret = setup.body.secret as string;
    const confirmed = await api.request('POST', '/api/me/2fa/enable', {
      token: enabled.token,
      body: { code: totpCodeAt(secret) },
    });
    expect(confirmed.status).toBe(200);
    const pending = await signUpTenant(api);
    const pendingSetup = await api.request('POST', '/api/me/2fa/setup', { token: pending.token });
    expect(pendingSetup.status).toBe(200);

    const newKey = randomBytes(32);
    const report = await reseal(new SecretBox(newKey, oldKey), 100);
    const unreadableUsers = report.unreadable.filter(({ table }) => table === 'app_user');
    expect(unreadableUsers).toEqual([]);

    const afterRotation = new SecretBox(newKey);
    const user = await em().findOneOrFail(User, enabled.user.id, { filters: false });
    expect(user.twoFactorSecretSealed?.startsWith(afterRotation.currentPrefix)).toBe(true);
    const later = new Date(Date.now() + 30_000); // the confirming step was spent
    expect(user.spendTwoFactorCode(afterRotation, totpCodeAt(secret, later), later)).toBe(true);
    expect(() => user.spendTwoFactorCode(new SecretBox(oldKey), '000000', later)).toThrow();
    const waiting = await em().findOneOrFail(User, pending.user.id, { filters: false });
    expect(waiting.twoFactorPendingSecretSealed?.startsWith(afterRotation.currentPrefix)).toBe(
      true,
    );
  });
});
