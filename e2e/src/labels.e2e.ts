import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import en from '../../frontend/src/i18n/locales/en.js';
import { saveScreenshot, useBrowser } from './browser.js';
import {
  api,
  createBusiness,
  createOperator,
  deliver,
  openPanel,
  registerVisitor,
  rowOf,
  visitorMessage,
} from './workspace-fixtures.js';

/**
 * An admin creates a label on the Labels screen; an operator puts it on one of their two
 * chats from the chat header (the Labels button, then the label); the lists' label filter then
 * shows only that chat, with the label's chip.
 */
const browser = useBrowser();

describe('labels', () => {
  it('an admin creates one, an operator sets it in a chat, the filter shows only that chat', async () => {
    const business = await createBusiness();
    const operator = await createOperator(business, 'Olga Operator');
    const vera = await registerVisitor(business, 'Vera', 'Visitor');
    const pavel = await registerVisitor(business, 'Pavel', 'Petrov');
    // A neighbour label, so the checklist and the filter offer a choice.
    await api(business.adminToken, 'POST', '/api/labels', { name: 'Billing', color: '#fde68a' });

    const admin = await openPanel(browser(), business.adminToken, '/admin/labels');
    await admin.getByTestId('label-create').click();
    const modal = admin.getByTestId('label-modal');
    await modal.locator('#label-name').fill('VIP');
    await modal.getByTestId('label-swatch').first().click();
    await saveScreenshot(admin, 'labels-form');
    await modal.getByTestId('label-save').click();
    await modal.waitFor({ state: 'detached' });
    await admin.getByTestId('label-name').filter({ hasText: 'VIP' }).waitFor();
    await saveScreenshot(admin, 'labels-manage');

    const panel = await openPanel(browser(), operator.token, '/workspace');
    await panel.getByTestId('go-online').click();
    await panel.getByTestId('offline-hint').waitFor({ state: 'detached' });
    await deliver(business, [
      visitorMessage(business, vera, 'Hello, I paid twice for my order.'),
      visitorMessage(business, pavel, 'Do you deliver on Sundays?'),
    ]);
    await panel.getByTestId('workspace-tab-mine').click();
    await rowOf(panel, 'Pavel Petrov').waitFor();
    await rowOf(panel, 'Vera Visitor').click();

    const chat = panel.getByTestId('chat-view');
    await chat.getByTestId('chat-labels-button').click();
    await panel.getByTestId('chat-label-option').filter({ hasText: 'VIP' }).click();
    await chat
      .getByTestId('chat-labels')
      .getByTestId('label-chip')
      .filter({ hasText: 'VIP' })
      .waitFor();
    await rowOf(panel, 'Vera Visitor')
      .getByTestId('label-chip')
      .filter({ hasText: 'VIP' })
      .waitFor();
    await saveScreenshot(panel, 'labels-chat');
    await panel.keyboard.press('Escape');

    await panel.getByTestId('label-filter').click();
    await panel.locator('.n-base-select-option').filter({ hasText: 'VIP' }).click();
    await expect
      .poll(() => panel.getByTestId('conversation-row-name').allTextContents())
      .toEqual(['Vera Visitor']);
    await saveScreenshot(panel, 'labels-filtered');

    // The server agrees: the chat carries the label, and the filter finds it alone.
    const labels = await api<{ items: { id: string; name: string }[] }>(
      operator.token,
      'GET',
      '/api/labels',
    );
    const vip = labels.items.find((label) => label.name === 'VIP')!;
    const filtered = await api<{ items: { contact: { name: string } }[] }>(
      operator.token,
      'GET',
      `/api/conversations?labelId=${vip.id}`,
    );
    expect(filtered.items.map((item) => item.contact.name)).toEqual(['Vera Visitor']);
  });

  for (const locale of ['ru', 'bn'] as const) {
    it(`shows the labels screens in ${locale} without their English texts`, async () => {
      const business = await createBusiness();
      const operator = await createOperator(business, 'Nadia Noor');
      const visitor = await registerVisitor(business, 'Karim', 'Khan');
      for (const [name, color] of [
        ['VIP', '#dc2626'],
        ['Billing', '#fde68a'],
        ['Very long label name for a chat', '#2563eb'],
      ]) {
        await api(business.adminToken, 'POST', '/api/labels', { name, color });
      }

      const admin = await openPanel(browser(), business.adminToken, '/admin/labels', locale);
      await admin.getByTestId('label-name').first().waitFor();
      expect(await englishLabelTexts(admin)).toEqual([]);
      await admin.getByTestId('label-create').click();
      await admin.getByTestId('label-modal').waitFor();
      expect(await englishLabelTexts(admin)).toEqual([]);
      await saveScreenshot(admin, `labels-form-${locale}`);

      const panel = await openPanel(browser(), operator.token, '/workspace', locale);
      await panel.getByTestId('go-online').click();
      await panel.getByTestId('offline-hint').waitFor({ state: 'detached' });
      await deliver(business, [visitorMessage(business, visitor, 'Salam! Ki khobor?')]);
      await panel.getByTestId('workspace-tab-mine').click();
      await rowOf(panel, 'Karim Khan').click();
      await panel.getByTestId('chat-labels-button').click();
      for (const name of ['VIP', 'Very long label name for a chat']) {
        await panel.getByTestId('chat-label-option').filter({ hasText: name }).click();
      }
      await rowOf(panel, 'Karim Khan').getByTestId('label-chip').nth(1).waitFor();
      expect(await englishLabelTexts(panel)).toEqual([]);
      await saveScreenshot(panel, `labels-chat-${locale}`);
    });
  }
});

/** The English texts of the labels screens (long enough to be unmistakable) shown on the page. */
async function englishLabelTexts(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => document.body.innerText);
  return Object.values(en.labels).filter(
    (english) => english.length >= 12 && text.includes(english),
  );
}
