import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { saveScreenshot, useBrowser } from './browser.js';
import { api, control, createBusiness, createOperator, openPanel } from './workspace-fixtures.js';

/**
 * A page whose token dies (or loses a permission) shows a banner to its operators within
 * seconds, live, in their language; the admin's setup checklist names what is missing.
 */
const browser = useBrowser();
const LOCALES = ['en', 'ru', 'bn'] as const;

const banners = (panel: Page) => panel.getByTestId('page-health-banner');

describe('page health in the panel', () => {
  it("a dead token shows a banner to the page's operators, live, until dismissed", async () => {
    const business = await createBusiness();
    const operator = await createOperator(business, 'Nadia Noor');
    const elsewhere = await createOperator(business, 'Omar Other', [business.otherDepartmentId]);
    const panels = await Promise.all(
      LOCALES.map((locale) => openPanel(browser(), operator.token, '/workspace', locale)),
    );
    const otherPanel = await openPanel(browser(), elsewhere.token, '/workspace');
    for (const panel of panels) await panel.getByTestId('presence-switch').waitFor();
    await otherPanel.getByTestId('presence-switch').waitFor();
    // The panels' sockets connect after the shell shows: give them a moment.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const panel of panels) expect(await banners(panel).count()).toBe(0);

    await control('POST', `/pages/${business.page.pageId}/revoke`);
    const startedAt = Date.now();
    await api(business.adminToken, 'POST', `/api/channels/facebook/${business.channelId}/check`);

    for (const panel of panels) await banners(panel).first().waitFor({ timeout: 5_000 });
    expect(Date.now() - startedAt).toBeLessThan(5_000);
    expect(await banners(panels[0]!).textContent()).toContain(
      'Page “Coffee Corner” cannot receive or send messages',
    );
    expect(await banners(panels[1]!).textContent()).toContain('Страница «Coffee Corner»');
    expect(await banners(panels[2]!).textContent()).toContain('"Coffee Corner" পেজটি');
    for (const [index, locale] of LOCALES.entries()) {
      await saveScreenshot(panels[index]!, `page-health-banner-${locale}`);
    }
    // Another department's operator does not work this page.
    expect(await banners(otherPanel).count()).toBe(0);

    // Dismissed: gone for the session, also after a reload.
    await banners(panels[0]!).getByRole('button').click();
    await expect.poll(() => banners(panels[0]!).count()).toBe(0);
    await panels[0]!.reload();
    await panels[0]!.getByTestId('presence-switch').waitFor();
    expect(await banners(panels[0]!).count()).toBe(0);
  });

  it("the admin's checklist names the permission a token lacks, in every language", async () => {
    const business = await createBusiness();
    await control('POST', `/pages/${business.page.pageId}/scopes`, {
      scopes: ['pages_manage_metadata', 'pages_read_engagement', 'pages_show_list'],
    });
    await api(business.adminToken, 'POST', `/api/channels/facebook/${business.channelId}/check`);
    for (const locale of LOCALES) {
      const panel = await openPanel(browser(), business.adminToken, '/admin/pages', locale);
      const step = panel.getByTestId('checklist-permissions');
      await step.waitFor();
      expect(await step.getAttribute('data-done')).toBe('false');
      expect(await step.textContent()).toContain('pages_messaging');
      await banners(panel).first().waitFor();
      expect(await banners(panel).textContent()).toContain('pages_messaging');
      await saveScreenshot(panel, `page-health-checklist-${locale}`);
    }

    // The permission is granted again; the admin checks at once instead of waiting a day.
    await control('POST', `/pages/${business.page.pageId}/scopes`, {
      scopes: [
        'pages_messaging',
        'pages_manage_metadata',
        'pages_read_engagement',
        'pages_show_list',
      ],
    });
    const panel = await openPanel(browser(), business.adminToken, '/admin/pages');
    await banners(panel).first().waitFor();
    await panel.getByTestId('page-check').click();
    await panel.getByText('“Coffee Corner” works').waitFor();
    await expect
      .poll(() => panel.getByTestId('checklist-permissions').getAttribute('data-done'))
      .toBe('true');
    await expect.poll(() => banners(panel).count()).toBe(0);
    await saveScreenshot(panel, 'page-health-checked-en');
  });
});
