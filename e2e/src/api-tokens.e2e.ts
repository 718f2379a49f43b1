import { describe, expect, it } from 'vitest';
import { saveScreenshot, useBrowser } from './browser.js';
import { api, createBusiness, openPanel } from './workspace-fixtures.js';

/**
 * An admin creates an API token in the panel, sees it once, a script uses it, the list shows
 * when; revoking it stops the script at once. In each language of the panel.
 */
const browser = useBrowser();

describe('API tokens', () => {
  it('creates a token shown once, lists its last use and revokes it', async () => {
    const business = await createBusiness();
    const page = await openPanel(browser(), business.adminToken, '/admin/api-tokens');
    await page.getByTestId('api-tokens-empty').waitFor();
    await saveScreenshot(page, 'api-tokens-empty-en');

    await page.getByTestId('api-token-create').click();
    await page.locator('#api-token-name').fill('CRM sync');
    await saveScreenshot(page, 'api-tokens-create-en');
    await page.getByTestId('api-token-submit').click();
    const secret = page.getByTestId('api-token-secret');
    await secret.waitFor();
    const token = (await secret.textContent())!;
    expect(token).toMatch(/^omni_/);
    expect(await page.getByTestId('api-token-modal').textContent()).toContain(
      'It will not be shown again',
    );
    await saveScreenshot(page, 'api-tokens-shown-once-en');
    await page.getByTestId('api-token-done').click();
    await secret.waitFor({ state: 'detached' });

    // A script uses it, and the list says when.
    const conversations = await api<{ items: unknown[] }>(token, 'GET', '/api/conversations');
    expect(Array.isArray(conversations.items)).toBe(true);
    await page.reload();
    await page.getByTestId('api-token-last-used').waitFor();
    expect(await page.content()).not.toContain(token);
    await saveScreenshot(page, 'api-tokens-list-en');

    for (const locale of ['ru', 'bn'] as const) {
      const translated = await openPanel(
        browser(),
        business.adminToken,
        '/admin/api-tokens',
        locale,
      );
      await translated.getByTestId('api-token-last-used').waitFor();
      await translated.waitForTimeout(400); // the table's loading veil fades out
      await saveScreenshot(translated, `api-tokens-list-${locale}`);
      await translated.getByTestId('api-token-create').click();
      await translated.locator('#api-token-name').fill(`Reports ${locale}`);
      await translated.getByTestId('api-token-submit').click();
      await translated.getByTestId('api-token-secret').waitFor();
      await saveScreenshot(translated, `api-tokens-shown-once-${locale}`);
      await translated.getByTestId('api-token-done').click();
      await translated.getByTestId('api-token-revoke').first().click();
      await translated.locator('.n-dialog').waitFor();
      await translated.waitForTimeout(400); // the dialog's opening animation
      await saveScreenshot(translated, `api-tokens-revoke-${locale}`);
      await translated.locator('.n-dialog .n-button--error-type').click();
      await translated.locator('.n-dialog').waitFor({ state: 'detached' });
    }

    await page.reload();
    const names = page.getByTestId('api-token-name');
    await names.first().waitFor();
    expect(await names.allTextContents()).toEqual(['CRM sync']);
    await page.getByTestId('api-token-revoke').click();
    await page.locator('.n-dialog').waitFor();
    await page.waitForTimeout(400); // the dialog's opening animation
    await saveScreenshot(page, 'api-tokens-revoke-en');
    await page.locator('.n-dialog .n-button--error-type').click();
    await page.getByTestId('api-tokens-empty').waitFor();
    await expect(api(token, 'GET', '/api/conversations')).rejects.toThrow('answered 401');
  });
});
