import { describe, expect, it } from 'vitest';
import { saveScreenshot, useBrowser } from './browser.js';
import { untranslated } from './untranslated.js';
import {
  api,
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
 * The operator's screens in Russian and in Bengali: a live chat with history, the composer,
 * the visitor card and log, and the transfer dialog show no English sentence of the panel.
 */
const browser = useBrowser();

describe('the panel in Russian and Bengali', () => {
  for (const locale of ['ru', 'bn'] as const) {
    it(`shows the workspace and a chat in ${locale} without English leftovers`, async () => {
      const business = await createBusiness();
      const operator = await createOperator(business, 'Nadia Noor');
      await setStatus(operator.token, 'online');
      const visitor = await registerVisitor(business, 'Karim', 'Khan');
      await deliver(business, [visitorMessage(business, visitor, 'Salam! Ki khobor?')]);
      const conversationId = await waitForMyChat(operator.token);
      await api(operator.token, 'POST', `/api/conversations/${conversationId}/messages`, {
        text: 'Hello Karim!',
      });

      const panel = await openPanel(browser(), operator.token, '/workspace', locale);
      await rowOf(panel, 'Karim Khan').click({ timeout: 20_000 });
      await panel.getByTestId('message-text').getByText('Hello Karim!').waitFor();
      await panel.getByTestId('event-log').waitFor();
      expect(await untranslated(panel)).toEqual([]);
      await saveScreenshot(panel, `workspace-chat-${locale}`);

      await panel.getByTestId('chat-transfer').click();
      await panel.getByTestId('transfer-dialog').waitFor();
      expect(await untranslated(panel)).toEqual([]);
      await panel.keyboard.press('Escape');

      await panel.getByTestId('workspace-tab-closed').click();
      await panel.getByTestId('closed-empty').waitFor();
      expect(await untranslated(panel)).toEqual([]);
    });
  }
});

async function waitForMyChat(token: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { items } = await api<{ items: { id: string }[] }>(
      token,
      'GET',
      '/api/conversations?status=assigned&mine=true',
    );
    if (items[0]) return items[0].id;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('The chat was not assigned within 20 s');
}
