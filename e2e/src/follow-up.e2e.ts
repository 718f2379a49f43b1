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
  setStatus,
  visitorMessage,
} from './workspace-fixtures.js';

/**
 * Follow-up as the operator meets it: a chat closed two hours after the visitor wrote is
 * reopened with "Follow up", the composer is ready at once, and the message reaches the
 * Send API; a chat whose visitor wrote 25 hours ago keeps the button off and says why.
 */
const browser = useBrowser();
const HOUR = 3_600_000;

describe('follow-up of a closed chat', () => {
  it('reopens it inside the reply window and sends; refuses it outside', async () => {
    const business = await createBusiness();
    const operator = await createOperator(business, 'Fiona Follow');
    await setStatus(operator.token, 'online');
    const recent = await registerVisitor(business, 'Rita', 'Recent');
    const late = await registerVisitor(business, 'Lars', 'Late');
    await deliver(business, [
      visitorMessage(business, recent, 'Can you check my order?', Date.now() - 2 * HOUR),
      visitorMessage(business, late, 'Anyone there?', Date.now() - 25 * HOUR),
    ]);

    const panel = await openPanel(browser(), operator.token, '/workspace');
    await panel.getByTestId('workspace-tab-mine').click();
    await rowOf(panel, 'Lars Late').waitFor();
    await rowOf(panel, 'Rita Recent').click();
    const chat = panel.getByTestId('chat-view');
    await chat.getByTestId('chat-close').click();
    await expect.poll(() => chat.getAttribute('data-status')).toBe('closed');
    // The panel's events may show the chat closed before the close request answered; its
    // buttons are busy until then.
    await panel.getByText('Conversation closed').waitFor();

    await chat.getByTestId('chat-follow-up').click();
    await expect.poll(() => chat.getAttribute('data-status')).toBe('assigned');
    const input = chat.getByTestId('composer-input').locator('textarea');
    await expect
      .poll(() => input.evaluate((element) => element === document.activeElement))
      .toBe(true);
    await saveScreenshot(panel, 'follow-up-reopened');
    await input.pressSequentially('Your order left the warehouse today.');
    await input.press('Enter');
    await expect
      .poll(async () => (await sentMessages(business)).map((sent) => sent.text))
      .toEqual(['Your order left the warehouse today.']);
    const log = chat.getByTestId('event-log');
    await expect.poll(() => log.textContent()).toContain('Fiona Follow reopened it to follow up');

    // The late visitor's chat, closed: the window ended an hour ago.
    const { items } = await api<{ items: { id: string; contact: { name: string } }[] }>(
      operator.token,
      'GET',
      '/api/conversations?status=assigned&mine=true',
    );
    const lateChat = items.find((item) => item.contact.name === 'Lars Late')!;
    await api(operator.token, 'POST', `/api/conversations/${lateChat.id}/close`);
    await panel.getByTestId('workspace-tab-closed').click();
    await rowOf(panel, 'Lars Late').click();
    const button = chat.getByTestId('chat-follow-up');
    await expect.poll(() => button.isDisabled()).toBe(true);
    expect(await chat.getByTestId('chat-follow-up-reason').textContent()).toContain(
      'reply window closed on',
    );
    await saveScreenshot(panel, 'follow-up-window-closed');
  });
});
