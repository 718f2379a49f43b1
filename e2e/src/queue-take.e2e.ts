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
 * Two operators, both away (so the queue assigns nothing by itself): a visitor waits in both
 * queues; one takes the chat and the other sees it leave their queue at once.
 */
const browser = useBrowser();

describe('taking a chat from the shared queue', () => {
  it('moves it to the taker and out of the colleague’s queue instantly', async () => {
    const business = await createBusiness();
    const anna = await createOperator(business, 'Anna Taker');
    const boris = await createOperator(business, 'Boris Colleague');
    await setStatus(anna.token, 'away');
    await setStatus(boris.token, 'away');
    const visitor = await registerVisitor(business, 'Wendy', 'Waiting');
    const annaPanel = await openPanel(browser(), anna.token, '/workspace');
    const borisPanel = await openPanel(browser(), boris.token, '/workspace');
    await annaPanel.getByTestId('queue-empty').waitFor();
    await borisPanel.getByTestId('queue-empty').waitFor();

    await deliver(business, [visitorMessage(business, visitor, 'Is anyone there?')]);

    const annaRow = rowOf(annaPanel, 'Wendy Waiting');
    const borisRow = rowOf(borisPanel, 'Wendy Waiting');
    await annaRow.waitFor({ timeout: 20_000 });
    await borisRow.waitFor({ timeout: 20_000 });
    await expect
      .poll(() => borisPanel.getByTestId('workspace-count-queue').textContent())
      .toBe('1');
    await saveScreenshot(borisPanel, 'workspace-queue');

    // The admin's live overview counts the waiting visitor in Support.
    const adminPanel = await openPanel(browser(), business.adminToken, '/admin/queue');
    const supportWaiting = adminPanel
      .getByTestId('queue-departments')
      .locator('tr', { hasText: 'Support' })
      .locator('td')
      .first();
    await expect.poll(() => supportWaiting.textContent()).toContain('1');
    await saveScreenshot(adminPanel, 'admin-live-queue');

    await annaRow.click();
    await annaPanel.getByTestId('chat-take').click();
    await expect
      .poll(() => annaPanel.getByTestId('chat-view').getAttribute('data-status'))
      .toBe('assigned');

    // Boris never reloads: the realtime event takes it out of his queue.
    await borisRow.waitFor({ state: 'detached', timeout: 5_000 });
    await borisPanel.getByTestId('queue-empty').waitFor();
    await expect
      .poll(() => borisPanel.getByTestId('workspace-count-queue').textContent())
      .toBe('0');
    await expect.poll(() => supportWaiting.textContent()).toContain('0');

    await annaPanel.getByTestId('workspace-tab-mine').click();
    await rowOf(annaPanel, 'Wendy Waiting').waitFor();
    expect(await annaPanel.getByTestId('composer-input').isVisible()).toBe(true);
  });
});
