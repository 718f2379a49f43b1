import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { saveScreenshot, useBrowser } from './browser.js';
import { untranslated } from './untranslated.js';
import {
  api,
  createBusiness,
  deliver,
  openPanel,
  registerVisitor,
  sentMessages,
  visitorMessage,
} from './workspace-fixtures.js';

/**
 * Satisfaction surveys end to end: an admin turns them on, a chat closes inside the window,
 * the visitor gets the question with quick replies 1–5 and taps 4; the closed chat shows the
 * rating, and the settings the switch and question, in each language.
 */
const browser = useBrowser();

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('Not within 20 s');
}

describe('satisfaction surveys', () => {
  for (const locale of ['en', 'ru', 'bn'] as const) {
    it(`ask after a close, store the tap, and show the rating (${locale})`, async () => {
      const business = await createBusiness();
      const token = business.adminToken;
      await api(token, 'PATCH', '/api/settings', { csat: { enabled: true }, language: locale });
      const visitor = await registerVisitor(business, 'Karim', 'Khan');
      await deliver(business, [visitorMessage(business, visitor, 'Thanks, that solved it!')]);
      const { items } = await eventually(
        () => api<{ items: { id: string }[] }>(token, 'GET', '/api/conversations?status=queued'),
        (list) => list.items.length > 0,
      );
      const conversationId = items[0]!.id;
      await api(token, 'POST', `/api/conversations/${conversationId}/close`);
      const [survey] = await eventually(
        () => sentMessages(business),
        (sent) => sent.length > 0,
      );
      expect(survey!.messagingType).toBe('RESPONSE');
      await deliver(business, [
        {
          sender: { id: visitor.psid },
          recipient: { id: business.page.pageId },
          timestamp: Date.now(),
          message: {
            mid: `m_${randomBytes(12).toString('hex')}`,
            text: '4',
            quick_reply: { payload: `CSAT:${conversationId}:4` },
          },
        },
      ]);
      await eventually(
        () =>
          api<{ csat: unknown; status: string }>(
            token,
            'GET',
            `/api/conversations/${conversationId}`,
          ),
        (conversation) => conversation.csat !== null,
      );

      const panel = await openPanel(browser(), token, `/oversight/${conversationId}`, locale);
      await panel.getByTestId('chat-csat').waitFor();
      expect(await panel.getByTestId('chat-csat').textContent()).toContain('4/5');
      if (locale !== 'en') expect(await untranslated(panel)).toEqual([]);
      await saveScreenshot(panel, `csat-chat-${locale}`);

      await panel.goto(panel.url().replace(/\/oversight\/.*$/, '/admin/settings'));
      await panel.locator('#settings-csat-question').scrollIntoViewIfNeeded();
      // The survey's own strings are translated ('Callback URL' is left in English on purpose).
      if (locale !== 'en') {
        expect((await untranslated(panel)).filter((text) => text !== 'Callback URL')).toEqual([]);
      }
      await saveScreenshot(panel, `csat-settings-${locale}`);
    });
  }
});
