import { describe, expect, it } from 'vitest';
import { saveScreenshot, useBrowser } from './browser.js';
import {
  createBusiness,
  deliver,
  openPanel,
  registerVisitor,
  rowOf,
  visitorMessage,
} from './workspace-fixtures.js';

/**
 * A visitor asks to have their data deleted: the admin erases them from the open chat (after
 * a confirmation that explains it), and the chat on screen loses the messages and the name
 * at once. The settings show the addresses Meta asks for, and the public page answers.
 */
const browser = useBrowser();

describe('data deletion', () => {
  it('an admin erases a visitor from the chat; the settings give the data deletion URL', async () => {
    const business = await createBusiness();
    const visitor = await registerVisitor(business, 'Dora', 'Deleteme');
    await deliver(business, [visitorMessage(business, visitor, 'Please delete my data')]);

    const panel = await openPanel(browser(), business.adminToken, '/workspace');
    await panel.getByTestId('workspace-tab-queue').click();
    await rowOf(panel, 'Dora Deleteme').click({ timeout: 20_000 });
    const chat = panel.getByTestId('chat-view');
    await chat.getByTestId('message').first().waitFor();
    await saveScreenshot(panel, 'data-deletion-visitor-panel');

    await panel.getByTestId('erase-visitor').click();
    await panel.getByTestId('erase-visitor-confirm').waitFor();
    await saveScreenshot(panel, 'data-deletion-confirm');
    await panel.getByTestId('erase-visitor-confirm').click();

    await panel.getByTestId('visitor-erased').waitFor();
    await expect.poll(() => chat.getByTestId('message').count()).toBe(0);
    expect(await panel.getByTestId('visitor-name').textContent()).toContain('Erased visitor');
    expect(await panel.content()).not.toContain('Deleteme');
    await saveScreenshot(panel, 'data-deletion-erased');

    await panel.goto(panel.url().replace(/\/workspace.*$/, '/admin/settings'));
    const url = await panel.getByTestId('settings-data-deletion-url').locator('input').inputValue();
    await panel.getByTestId('settings-data-deletion-url').scrollIntoViewIfNeeded();
    await saveScreenshot(panel, 'data-deletion-settings');
    await panel.goto(url);
    expect(await panel.content()).toContain('delete my data');
    await saveScreenshot(panel, 'data-deletion-public-page');
  });
});
