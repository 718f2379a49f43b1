import { describe, expect, it } from 'vitest';
import { saveScreenshot, useBrowser } from './browser.js';
import {
  createBusiness,
  createOperator,
  deliver,
  openPanel,
  registerVisitor,
  rowOf,
  setStatus,
  visitorMessage,
} from './workspace-fixtures.js';

/**
 * A Support operator hands a chat to the Sales department; a Sales operator takes it from
 * their queue and closes it; the visitor writes again and the conversation reopens into the
 * queue of the page's department.
 */
const browser = useBrowser();

describe('transfer, close and reopen', () => {
  it('moves the chat to another department, closes it, and reopens it on a new message', async () => {
    const business = await createBusiness();
    const support = await createOperator(business, 'Sam Support');
    const sales = await createOperator(business, 'Sara Sales', [business.otherDepartmentId]);
    await setStatus(support.token, 'online');
    await setStatus(sales.token, 'away');
    const visitor = await registerVisitor(business, 'Tom', 'Transfer');
    await deliver(business, [visitorMessage(business, visitor, 'I want to buy 20 kg of beans')]);

    const supportPanel = await openPanel(browser(), support.token, '/workspace');
    const salesPanel = await openPanel(browser(), sales.token, '/workspace');
    await supportPanel.getByTestId('workspace-tab-mine').click();
    await rowOf(supportPanel, 'Tom Transfer').click({ timeout: 20_000 });
    await supportPanel.getByTestId('chat-transfer').click();
    const dialog = supportPanel.getByTestId('transfer-dialog');
    await dialog.getByText('To a department').click();
    await dialog.getByTestId('transfer-department').filter({ hasText: 'Sales' }).click();
    await saveScreenshot(supportPanel, 'transfer-dialog');
    await dialog.getByTestId('transfer-confirm').click();

    // Gone from Support's chats, waiting in Sales' queue, live on both sides.
    await rowOf(supportPanel, 'Tom Transfer').waitFor({ state: 'detached' });
    const salesRow = rowOf(salesPanel, 'Tom Transfer');
    await salesRow.click();
    await salesPanel.getByTestId('chat-take').click();
    await expect
      .poll(() => salesPanel.getByTestId('chat-view').getAttribute('data-status'))
      .toBe('assigned');
    await salesPanel.getByTestId('chat-close').click();
    await expect
      .poll(() => salesPanel.getByTestId('chat-view').getAttribute('data-status'))
      .toBe('closed');
    await salesPanel.getByTestId('composer-disabled-reason').getByText('closed').waitFor();
    const log = salesPanel.getByTestId('event-log');
    await expect.poll(() => log.textContent()).toContain('Closed by Sara Sales');
    expect(await log.textContent()).toContain('Sam Support moved it to the Sales queue');

    // Nobody online now, so the reopened chat waits in the page's department (Support).
    await setStatus(support.token, 'away');
    await deliver(business, [visitorMessage(business, visitor, 'One more question!')]);
    await expect
      .poll(() => salesPanel.getByTestId('chat-view').getAttribute('data-status'), {
        timeout: 15_000,
      })
      .toBe('queued');
    await supportPanel.getByTestId('workspace-tab-queue').click();
    await rowOf(supportPanel, 'Tom Transfer').click();
    await supportPanel.getByTestId('message-text').getByText('One more question!').waitFor();
    expect(await supportPanel.getByTestId('chat-view').getAttribute('data-status')).toBe('queued');
  });
});
