import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import en from '../../frontend/src/i18n/locales/en.js';
import { saveScreenshot, useBrowser } from './browser.js';
import { untranslated } from './untranslated.js';
import { api, openPanel } from './workspace-fixtures.js';

/**
 * An admin turns two-factor on from the user menu (the key read from the dialog, the code
 * computed as an authenticator app would), keeps the recovery codes, then signs in with a
 * code; with `require2faForAdmins` on, a second admin lands on the forced setup screen. In
 * English, Russian and Bengali, each screen without English leftovers in the other two.
 */
type Locale = 'en' | 'ru' | 'bn';
const browser = useBrowser();
const baseUrl = inject('baseUrl');

/** What the phone shows `stepsAhead` 30-second steps from now (SHA-1, 6 digits, RFC 6238). */
function codeOf(secret: string, stepsAhead = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6 });
  return totp.generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

/** Lets naive-ui's enter and leave transitions finish, so a screenshot shows one state. */
const settle = (page: Page) => page.waitForTimeout(400);

async function expectTranslated(page: Page, locale: string): Promise<void> {
  if (locale === 'en') return;
  expect(await untranslated(page)).toEqual([]);
}

async function openLogin(locale: string): Promise<Page> {
  const context = await browser().newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.evaluate((language) => localStorage.setItem('omni.locale', language), locale);
  await page.goto(`${baseUrl}/login`);
  return page;
}

async function signUp(): Promise<{ token: string; email: string; password: string }> {
  const email = `ada-${randomBytes(4).toString('hex')}@example.test`;
  const password = 'ada password';
  const { token } = await api<{ token: string }>(null, 'POST', '/api/auth/signup', {
    tenantName: 'Secure Coffee',
    name: 'Ada Admin',
    email,
    password,
  });
  return { token, email, password };
}

async function enableInDialog(panel: Page, locale: string): Promise<string> {
  await panel.getByTestId('user-menu').click();
  await panel.getByTestId('open-two-factor').waitFor();
  await settle(panel);
  await saveScreenshot(panel, `two-factor-menu-${locale}`);
  await panel.getByTestId('open-two-factor').click();
  const modal = panel.getByTestId('two-factor-modal');
  await modal.getByTestId('two-factor-start').click();
  await modal.getByTestId('two-factor-qr').waitFor();
  const secret = (await modal.getByTestId('two-factor-secret').innerText()).replace(/\s/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expectTranslated(panel, locale);
  await settle(panel);
  await saveScreenshot(panel, `two-factor-setup-${locale}`);
  await modal.locator('#two-factor-code').fill(codeOf(secret));
  await modal.getByTestId('two-factor-enable').click();
  await modal.getByTestId('two-factor-recovery-codes').waitFor();
  expect(await modal.locator('.recovery-codes__code').count()).toBe(10);
  await expectTranslated(panel, locale);
  await settle(panel);
  await saveScreenshot(panel, `two-factor-recovery-codes-${locale}`);
  await modal.getByTestId('two-factor-done').click();
  await modal.waitFor({ state: 'detached' });

  // Opened again, it says it is on and offers to turn it off (the codes are not shown again).
  await panel.getByTestId('user-menu').click();
  await panel.getByTestId('open-two-factor').click();
  await modal.getByTestId('two-factor-disable').waitFor();
  expect(await modal.getByTestId('two-factor-recovery-codes').count()).toBe(0);
  await expectTranslated(panel, locale);
  await settle(panel);
  await saveScreenshot(panel, `two-factor-on-${locale}`);
  await panel.keyboard.press('Escape');
  await modal.waitFor({ state: 'detached' });
  return secret;
}

async function signInWithCode(
  locale: string,
  account: { email: string; password: string },
  code: string,
): Promise<Page> {
  const page = await openLogin(locale);
  await page.locator('#login-email').fill(account.email);
  await page.locator('#login-password').fill(account.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('login-code-step').waitFor();
  await expectTranslated(page, locale);
  await settle(page);
  await saveScreenshot(page, `two-factor-login-${locale}`);
  await page.locator('#login-code').fill(code);
  await page.getByTestId('login-code-submit').click();
  return page;
}

async function checkForcedSetup(browserLocale: Locale, adminToken: string): Promise<void> {
  const second = {
    email: `bob-${randomBytes(4).toString('hex')}@example.test`,
    password: 'bob password',
  };
  await api(adminToken, 'POST', '/api/operators', { ...second, name: 'Bob Admin', role: 'admin' });
  // The first admin (who has two-factor) switches the rule on in the settings.
  const settings = await openPanel(browser(), adminToken, '/admin/settings', browserLocale);
  await settings.getByTestId('settings-require-2fa').click();
  await settings.getByTestId('settings-save').click();
  await expect
    .poll(
      async () =>
        (await api<{ require2faForAdmins: boolean }>(adminToken, 'GET', '/api/settings'))
          .require2faForAdmins,
    )
    .toBe(true);
  // (Not the whole page: its webhook hint quotes Facebook's own English "Callback URL".)
  if (browserLocale !== 'en') {
    const text = await settings.evaluate(() => document.body.innerText);
    expect(text).not.toContain(en.settings.require2faForAdmins);
    expect(text).not.toContain(en.settings.securitySection);
  }
  await settle(settings);
  await saveScreenshot(settings, `two-factor-settings-${browserLocale}`);
  await settings.context().close();

  const page = await openLogin(browserLocale);
  await page.locator('#login-email').fill(second.email);
  await page.locator('#login-password').fill(second.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(/\/two-factor-setup$/);
  await page.getByTestId('two-factor-qr').waitFor();
  await expectTranslated(page, browserLocale);
  await settle(page);
  await saveScreenshot(page, `two-factor-forced-${browserLocale}`);
  // Nothing else opens until it is done.
  await page.goto(`${baseUrl}/admin/operators`);
  await page.waitForURL(/\/two-factor-setup$/);
  const secret = (await page.getByTestId('two-factor-secret').innerText()).replace(/\s/g, '');
  await page.locator('#two-factor-code').fill(codeOf(secret));
  await page.getByTestId('two-factor-enable').click();
  await page.getByTestId('two-factor-done').click();
  await page.waitForURL(/\/admin\/departments$/);
  await page.context().close();
}

async function run(locale: Locale, browserInstance: () => Browser): Promise<void> {
  const admin = await signUp();
  const panel = await openPanel(browserInstance(), admin.token, '/admin/departments', locale);
  const secret = await enableInDialog(panel, locale);
  await panel.context().close();

  // The code of the confirming step was spent: the next step's code (inside the ±1 window).
  const page = await signInWithCode(locale, admin, codeOf(secret, 1));
  await page.waitForURL(/\/admin\/departments$/);
  const token = await page.evaluate(() => localStorage.getItem('omni.token'));
  const me = await api<{ user: { twoFactorEnabled: boolean } }>(token, 'GET', '/api/me');
  expect(me.user.twoFactorEnabled).toBe(true);
  await page.context().close();

  await checkForcedSetup(locale, admin.token);
}

describe('two-factor authentication', () => {
  for (const locale of ['en', 'ru', 'bn'] as const) {
    it(`is turned on in the dialog and asked for at sign-in (${locale})`, async () => {
      await run(locale, browser);
    });
  }
});
