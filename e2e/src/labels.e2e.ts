import { describe, expect, it } from 'vitest';
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
});
