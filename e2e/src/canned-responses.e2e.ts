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
  sentMessages,
  visitorMessage,
} from './workspace-fixtures.js';

/**
 * An admin saves a canned response for everyone on the management screen; an operator types
 * /shortcut in the composer, presses Enter, then Enter again: Facebook (the fake Graph)
 * receives the text with the visitor's first name filled in, and nothing else.
 */
const browser = useBrowser();

describe('canned responses', () => {
  it('an admin creates one, an operator inserts it with / and sends it filled in', async () => {
    const business = await createBusiness();
    const operator = await createOperator(business, 'Olga Operator');
    const visitor = await registerVisitor(business, 'Vera', 'Visitor');
    // A few neighbours, so both screens look like a working day.
    await api(business.adminToken, 'POST', '/api/canned-responses', {
      shortcut: 'hours',
      title: 'Opening hours',
      text: 'We are open every day from 8 am to 8 pm.',
      scope: 'department',
      departmentId: business.departmentId,
    });
    await api(operator.token, 'POST', '/api/canned-responses', {
      shortcut: 'thx',
      title: 'Thanks, signed',
      text: 'Thank you! {{operator.name}}, {{page.name}}',
      scope: 'personal',
    });

    const admin = await openPanel(browser(), business.adminToken, '/canned-responses');
    await admin.getByTestId('canned-create').click();
    const modal = admin.getByTestId('canned-modal');
    await modal.locator('#canned-shortcut').fill('welcome');
    await modal.locator('#canned-title').fill('Warm welcome');
    await modal
      .locator('#canned-text')
      .fill('Hi {{visitor.first_name}}! Thanks for writing to us. How can I help?');
    await saveScreenshot(admin, 'canned-responses-form');
    await modal.getByTestId('canned-save').click();
    await modal.waitFor({ state: 'detached' });
    await admin.getByTestId('canned-row').filter({ hasText: '/welcome' }).waitFor();
    await saveScreenshot(admin, 'canned-responses-manage');

    const panel = await openPanel(browser(), operator.token, '/workspace');
    await panel.getByTestId('go-online').click();
    await panel.getByTestId('offline-hint').waitFor({ state: 'detached' });
    await deliver(business, [visitorMessage(business, visitor, 'Hello, are you open today?')]);
    await panel.getByTestId('workspace-tab-mine').click();
    await rowOf(panel, 'Vera Visitor').click();

    const chat = panel.getByTestId('chat-view');
    const input = chat.getByTestId('composer-input').locator('textarea');
    await input.click();
    await input.pressSequentially('/we');
    const picker = chat.getByTestId('canned-picker');
    await picker.getByTestId('canned-picker-option').first().waitFor();
    expect(await picker.getByTestId('canned-picker-option').first().textContent()).toContain(
      '/welcome',
    );
    await saveScreenshot(panel, 'canned-responses-picker');
    await input.press('Backspace');
    await input.press('Backspace');
    // The whole list while only / is typed; the query narrows it again.
    await expect.poll(() => picker.getByTestId('canned-picker-option').count()).toBe(3);
    await input.pressSequentially('welc');
    await input.press('Enter');

    const filled = 'Hi Vera! Thanks for writing to us. How can I help?';
    await expect.poll(() => input.inputValue()).toBe(filled);
    await picker.waitFor({ state: 'detached' });
    await input.press('Enter');

    await expect
      .poll(async () => (await sentMessages(business)).map((sent) => sent.text))
      .toEqual([filled]);
  });
});
