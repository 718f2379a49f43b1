import { createHmac, randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, saveScreenshot } from './browser.js';

/**
 * An admin connects a Facebook page through the panel; Facebook (here, the test playing it)
 * performs the webhook handshake against the callback URL and code the panel shows, then
 * delivers a first message; the setup checklist turns green step by step.
 */
const baseUrl = inject('baseUrl');
const fakePage = inject('fakePage');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

async function signedInAdmin(): Promise<Page> {
  const email = `pages-${randomBytes(4).toString('hex')}@example.test`;
  const response = await fetch(`${baseUrl}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      tenantName: 'Acme Coffee Ltd',
      name: 'Ada Admin',
      email,
      password: 'ada password',
    }),
  });
  const { token } = (await response.json()) as { token: string };
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
    locale: 'en-US',
  });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.evaluate((value) => localStorage.setItem('omni.token', value), token);
  return page;
}

async function isDone(page: Page, step: string): Promise<boolean> {
  return (await page.getByTestId(step).getAttribute('data-done')) === 'true';
}

describe('connecting a Facebook page', () => {
  it('resolves the page, shows the webhook settings, and the checklist turns green', async () => {
    const page = await signedInAdmin();
    await page.goto(`${baseUrl}/admin/pages`);
    await page.getByTestId('page-create').first().click();
    await page.getByTestId('page-name').fill('Coffee support');
    await page.getByTestId('page-access-token').fill(fakePage.accessToken);
    await page.getByTestId('page-app-secret').fill(fakePage.appSecret);
    await page.getByTestId('page-save').click();

    // The Graph lookup filled in the page's own name and id.
    const card = page.getByTestId('page-card');
    await card.getByText(`Facebook: ${fakePage.name}`).waitFor();
    await expect.poll(() => card.textContent()).toContain(fakePage.pageId);
    expect(await isDone(page, 'checklist-token')).toBe(true);
    expect(await isDone(page, 'checklist-subscribed')).toBe(true);
    expect(await isDone(page, 'checklist-webhook')).toBe(false);

    // Facebook's handshake, with exactly what the panel shows.
    const callbackUrl = await page.getByTestId('page-callback-url').locator('input').inputValue();
    const verifyToken = await page
      .getByTestId('page-verify-token-value')
      .locator('input')
      .inputValue();
    const handshake = await fetch(
      `${callbackUrl}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(verifyToken)}&hub.challenge=1158201444`,
    );
    expect(handshake.status).toBe(200);
    expect(await handshake.text()).toBe('1158201444');
    await page.getByTestId('pages-refresh').click();
    await expect.poll(() => isDone(page, 'checklist-webhook')).toBe(true);

    // A first signed message from a visitor.
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: fakePage.pageId,
          time: Date.now(),
          messaging: [
            {
              sender: { id: '5550001' },
              recipient: { id: fakePage.pageId },
              timestamp: Date.now(),
              message: {
                mid: `m_${randomBytes(8).toString('hex')}`,
                text: 'Is the shop open today?',
              },
            },
          ],
        },
      ],
    });
    const signature = createHmac('sha256', fakePage.appSecret).update(body).digest('hex');
    const delivered = await fetch(callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
      body,
    });
    expect(delivered.status).toBe(200);
    await expect
      .poll(
        async () => {
          await page.getByTestId('pages-refresh').click();
          return isDone(page, 'checklist-first-message');
        },
        { timeout: 15_000, interval: 500 },
      )
      .toBe(true);
    await saveScreenshot(page, 'facebook-page-connected');
  });
});
