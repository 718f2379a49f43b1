import { describe, expect, it } from 'vitest';
import { saveScreenshot, useBrowser } from './browser.js';
import { api, createBusiness, createOperator, openPanel } from './workspace-fixtures.js';

/**
 * An admin reads the audit log: the newest changes first with their fields (a secret only as
 * changed), "Load more" for the older ones, and the filters by action and by who acted; in
 * each language of the panel.
 */
const browser = useBrowser();

describe('audit log', () => {
  it('shows who changed what, pages back with Load more and filters by action and actor', async () => {
    const business = await createBusiness();
    const token = business.adminToken;
    // Older changes than the first page holds (50), so there is more to load.
    for (let index = 1; index <= 46; index++) {
      await api(token, 'POST', '/api/departments', { name: `Team ${index}` });
    }
    const supervisor = await createOperator(business, 'Sam Supervisor', [], 'supervisor');
    await api(supervisor.token, 'POST', '/api/labels', { name: 'VIP', color: '#2563eb' });
    const verifyToken = 'e2e-verify-token-5f1c';
    await api(token, 'PATCH', `/api/channels/facebook/${business.channelId}`, {
      name: 'Coffee Corner EU',
      verifyToken,
    });
    await api(token, 'PATCH', '/api/settings', { autoCloseAfterMinutes: 30 });
    await api(token, 'PUT', `/api/departments/${business.departmentId}/hours`, {
      timezone: 'Europe/Moscow',
      weekly: [
        { day: 1, from: '09:00', to: '18:00' },
        { day: 2, from: '09:00', to: '18:00' },
      ],
      holidays: ['2026-12-31'],
      awayMessage: 'We are closed, back at 9.',
    });

    const page = await openPanel(browser(), token, '/admin/audit-log');
    const entries = page.getByTestId('audit-log-entry');
    await entries.first().waitFor();
    expect(await entries.count()).toBe(50);
    const newest = entries.first();
    expect(await newest.textContent()).toContain('changed business hours');
    expect(await newest.textContent()).toContain('Away message');
    const pageEntry = entries.filter({ hasText: 'changed a Facebook page' });
    const renamed = pageEntry.getByTestId('audit-log-change').filter({ hasText: 'Name' });
    expect(await renamed.locator('.audit-log__from').textContent()).toBe('Coffee Corner');
    expect(await renamed.locator('.audit-log__to').textContent()).toBe('Coffee Corner EU');
    const secret = pageEntry.getByTestId('audit-log-change').filter({ hasText: 'Verify token' });
    expect(await secret.textContent()).toContain('changed (hidden)');
    expect(await page.content()).not.toContain(verifyToken);
    await saveScreenshot(page, 'audit-log-en');

    await page.getByTestId('audit-log-more').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'audit-log-more-en');
    await page.getByTestId('audit-log-more').click();
    await entries.nth(50).waitFor();
    expect(await entries.count()).toBe(54);
    await page.getByTestId('audit-log-more').waitFor({ state: 'detached' });

    await page.getByTestId('audit-log-action').click();
    await page.keyboard.type('created a label');
    await page.locator('.n-base-select-option').filter({ hasText: 'created a label' }).click();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="audit-log-entry"]').length === 1,
    );
    expect(await entries.first().textContent()).toContain('Sam Supervisor');
    await saveScreenshot(page, 'audit-log-filtered-en');

    await page.getByTestId('audit-log-action').hover();
    await page.getByTestId('audit-log-action').locator('.n-base-clear').click();
    await page.getByTestId('audit-log-actor').click();
    await page.keyboard.type('Sam');
    await page.locator('.n-base-select-option').filter({ hasText: 'Sam Supervisor' }).click();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="audit-log-entry"]').length === 1,
    );
    expect(await entries.first().textContent()).toContain('VIP');

    for (const locale of ['ru', 'bn'] as const) {
      const translated = await openPanel(browser(), token, '/admin/audit-log', locale);
      await translated.getByTestId('audit-log-entry').first().waitFor();
      const text = await translated.getByTestId('audit-log-list').textContent();
      expect(text).toContain(
        locale === 'ru' ? 'изменил(а) часы работы' : 'কাজের সময় পরিবর্তন করেছেন',
      );
      await saveScreenshot(translated, `audit-log-${locale}`);
    }
  });
});
