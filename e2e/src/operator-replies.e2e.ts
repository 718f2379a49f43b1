import { describe, expect, it } from 'vitest';
import { saveScreenshot, useBrowser } from './browser.js';
import {
  createBusiness,
  createOperator,
  deliver,
  openPanel,
  receipt,
  registerVisitor,
  rowOf,
  sentMessages,
  visitorMessage,
} from './workspace-fixtures.js';

/**
 * A visitor writes to the page; the online operator of the page's department gets the chat
 * without reloading, with the visitor's name and photo; replies; Facebook (the fake Graph)
 * receives a RESPONSE to that visitor; delivery and read receipts tick the message.
 */
const browser = useBrowser();

describe('an operator answers a visitor', () => {
  it('sees the chat arrive live, replies, and watches it get delivered and read', async () => {
    const business = await createBusiness();
    const operator = await createOperator(business, 'Olga Operator');
    const visitor = await registerVisitor(business, 'Vera', 'Visitor');
    const panel = await openPanel(browser(), operator.token, '/workspace');
    await panel.getByTestId('go-online').click();
    await panel.getByTestId('offline-hint').waitFor({ state: 'detached' });

    await deliver(business, [visitorMessage(business, visitor, 'Hello! Do you deliver to Dhaka?')]);

    // Assigned automatically to the only online operator: it appears in My chats, live.
    await panel.getByTestId('workspace-tab-mine').click();
    const row = rowOf(panel, 'Vera Visitor');
    await row.waitFor({ timeout: 20_000 });
    await expect.poll(() => row.textContent()).toContain('Do you deliver to Dhaka?');
    await expect
      .poll(() => row.getByTestId('avatar-photo').getAttribute('src'))
      .toBe(visitor.profilePic);
    // Live counters: nobody waits any more, one chat is mine.
    await expect
      .poll(() => panel.getByTestId('workspace-count-queue').textContent(), { timeout: 5_000 })
      .toBe('0');
    expect(await panel.getByTestId('workspace-count-mine').textContent()).toBe('1');
    await row.click();

    const chat = panel.getByTestId('chat-view');
    await chat.getByTestId('visitor-name').getByText('Vera Visitor').waitFor();
    expect(await chat.getByTestId('visitor-panel').textContent()).toContain(business.page.name);
    await chat.getByTestId('message-text').getByText('Hello! Do you deliver to Dhaka?').waitFor();

    const input = chat.getByTestId('composer-input').locator('textarea');
    await input.fill('Yes, every day before 6 pm.');
    await input.press('Enter');

    await expect
      .poll(async () => (await sentMessages(business)).map((sent) => sent.text))
      .toContain('Yes, every day before 6 pm.');
    const [sent] = (await sentMessages(business)).filter(
      (message) => message.text === 'Yes, every day before 6 pm.',
    );
    expect(sent).toMatchObject({ recipientId: visitor.psid, messagingType: 'RESPONSE', tag: null });

    const reply = chat.getByTestId('message').filter({ hasText: 'Yes, every day before 6 pm.' });
    await expect.poll(() => reply.getAttribute('data-status')).toBe('sent');

    await deliver(business, [receipt(business, visitor, 'delivery')]);
    await expect.poll(() => reply.getAttribute('data-status')).toBe('delivered');
    await deliver(business, [receipt(business, visitor, 'read')]);
    await expect.poll(() => reply.getAttribute('data-status')).toBe('read');

    await saveScreenshot(panel, 'workspace-chat');
  });
});
