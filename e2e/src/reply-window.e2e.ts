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
 * Messenger's reply window as the operator meets it: the visitor's last message is 25 hours
 * old, so the composer is off and says why; once the page has the human-agent feature, the
 * reply goes out tagged HUMAN_AGENT.
 */
const browser = useBrowser();
const HOUR = 3_600_000;

describe('the reply window', () => {
  it('blocks a reply after 24 hours and sends HUMAN_AGENT where the page allows it', async () => {
    const business = await createBusiness();
    const operator = await createOperator(business, 'Hana Helper');
    await setStatus(operator.token, 'online');
    const visitor = await registerVisitor(business, 'Lena', 'Late');
    await deliver(business, [
      visitorMessage(business, visitor, 'Are you open on Sunday?', Date.now() - 25 * HOUR),
    ]);

    const panel = await openPanel(browser(), operator.token, '/workspace');
    await panel.getByTestId('workspace-tab-mine').click();
    await rowOf(panel, 'Lena Late').click({ timeout: 20_000 });
    const reason = panel.getByTestId('composer-disabled-reason');
    await reason.waitFor();
    expect(await reason.textContent()).toContain('within 24 hours');
    expect(await panel.getByTestId('composer-input').count()).toBe(0);
    await saveScreenshot(panel, 'composer-window-closed');

    await api(business.adminToken, 'PATCH', `/api/channels/facebook/${business.channelId}`, {
      humanAgentEnabled: true,
    });
    // No reload: the page change reaches the open panel and the composer comes back.
    await panel.getByTestId('composer-human-agent').waitFor();
    const input = panel.getByTestId('composer-input').locator('textarea');
    await input.fill('Sorry for the wait: yes, from 10 to 4.');
    await input.press('Enter');

    await expect
      .poll(async () => (await sentMessages(business)).map((sent) => sent.text))
      .toContain('Sorry for the wait: yes, from 10 to 4.');
    const sent = (await sentMessages(business)).find((message) =>
      message.text?.startsWith('Sorry for the wait'),
    );
    expect(sent).toMatchObject({
      recipientId: visitor.psid,
      messagingType: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
    });
  });
});
