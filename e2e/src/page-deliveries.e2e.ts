import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { saveScreenshot, useBrowser } from './browser.js';
import { untranslated } from './untranslated.js';
import {
  api,
  createBusiness,
  deliver,
  openPanel,
  registerVisitor,
  visitorMessage,
  type Business,
} from './workspace-fixtures.js';

/**
 * The deliveries inspector: an admin opens a page's deliveries from its setup checklist and
 * sees what became of each (a message, a diagnosis, why it was ignored), then replays one.
 */
const browser = useBrowser();

type Listed = { items: { status: string }[] };

/** A delivery of another Meta product to the callback: acknowledged and ignored. */
async function deliverInstagram(business: Business): Promise<void> {
  const body = JSON.stringify({
    object: 'instagram',
    entry: [{ id: business.page.pageId, time: Date.now(), changes: [] }],
  });
  const signature = createHmac('sha256', business.page.appSecret).update(body).digest('hex');
  const response = await fetch(business.callbackUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
    body,
  });
  expect(response.status).toBe(200);
}

async function settled(business: Business, count: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const listed = await api<Listed>(
          business.adminToken,
          'GET',
          `/api/channels/facebook/${business.channelId}/deliveries`,
        );
        return listed.items.filter((item) => item.status !== 'pending').length;
      },
      { timeout: 15_000 },
    )
    .toBe(count);
}

describe('the deliveries inspector', () => {
  for (const locale of ['en', 'ru', 'bn'] as const) {
    it(`shows what became of each delivery and replays one (${locale})`, async () => {
      const business = await createBusiness();
      const visitor = await registerVisitor(business, 'Rahim', 'Uddin');
      await deliver(business, [visitorMessage(business, visitor, 'Is the café open today?')]);
      const invalid = visitorMessage(business, visitor, 'Lost on the way') as Record<
        string,
        unknown
      >;
      delete invalid['recipient'];
      await deliver(business, [visitorMessage(business, visitor, 'And tomorrow?'), invalid]);
      await deliverInstagram(business);
      await settled(business, 3);

      const panel = await openPanel(browser(), business.adminToken, '/admin/pages', locale);
      await panel.getByTestId('page-deliveries').click();
      const drawer = panel.getByTestId('deliveries-drawer');
      await expect.poll(() => drawer.getByTestId('delivery').count()).toBe(3);
      const rows = drawer.getByTestId('delivery');
      // Newest first: the ignored one, then the one with a diagnosis, then the first message.
      expect(await rows.nth(0).getAttribute('data-status')).toBe('ignored');
      expect(await rows.nth(0).getByTestId('delivery-error').textContent()).toContain('instagram');
      expect(await rows.nth(1).getByTestId('delivery-diagnostic').textContent()).toContain(
        'recipient.id',
      );
      expect(await rows.nth(2).getByTestId('delivery-conversation').count()).toBe(1);
      expect(await rows.nth(0).getByTestId('delivery-replay').isDisabled()).toBe(true);

      await rows.nth(2).getByTestId('delivery-replay').click();
      await expect.poll(() => panel.locator('.n-message').count()).toBeGreaterThan(0);
      // Bengali names Facebook's own settings as Facebook shows them ("Callback URL").
      const english = (await untranslated(panel)).filter((text) => text !== 'Callback URL');
      if (locale !== 'en') expect(english).toEqual([]);
      await saveScreenshot(panel, `page-deliveries-${locale}`);

      await rows.nth(2).getByTestId('delivery-conversation').click();
      await expect.poll(() => panel.url()).toContain('/oversight/');
    });
  }
});
