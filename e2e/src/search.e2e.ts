import { describe, expect, it } from 'vitest';
import { saveScreenshot, useBrowser } from './browser.js';
import {
  api,
  createBusiness,
  createOperator,
  deliver,
  openPanel,
  registerVisitor,
  setStatus,
  visitorMessage,
} from './workspace-fixtures.js';

/**
 * A week-old conversation, long since closed: an operator searches a word the visitor wrote,
 * sees the excerpt with the word marked, and opens the chat scrolled to that message.
 */
const browser = useBrowser();

const DAY = 86_400_000;

describe('search', () => {
  it('finds a word from a week-old closed chat and opens the chat at that message', async () => {
    const business = await createBusiness();
    const operator = await createOperator(business, 'Olga Operator');
    const visitor = await registerVisitor(business, 'Vera', 'Visitor');
    const weekAgo = Date.now() - 7 * DAY;
    // The match sits early in a long history, far above what the chat first shows.
    const texts = [
      'Hello!',
      'My espresso grinder arrived with a cracked hopper.',
      ...Array.from({ length: 60 }, (_, index) => `Follow-up line ${index + 1}`),
    ];
    await deliver(
      business,
      texts.map((text, index) => visitorMessage(business, visitor, text, weekAgo + index * 1000)),
    );
    const conversationIdOf = async () =>
      (
        await api<{ items: { id: string; lastMessage: { text: string | null } | null }[] }>(
          business.adminToken,
          'GET',
          '/api/conversations',
        )
      ).items.find((item) => item.lastMessage?.text === 'Follow-up line 60')?.id;
    await expect.poll(conversationIdOf, { timeout: 20_000 }).toBeTruthy();
    const conversationId = (await conversationIdOf())!;
    await setStatus(business.adminToken, 'away');
    await api(business.adminToken, 'POST', `/api/conversations/${conversationId}/take`);
    await api(business.adminToken, 'POST', `/api/conversations/${conversationId}/close`);

    const panel = await openPanel(browser(), operator.token, '/workspace');
    await panel.getByTestId('conversation-search').locator('input').fill('grinder');
    const result = panel.getByTestId('search-result').filter({ hasText: 'Vera Visitor' });
    await result.waitFor();
    const snippet = result.getByTestId('search-result-snippet');
    expect(await snippet.textContent()).toContain('My espresso grinder arrived');
    expect(await snippet.locator('mark').textContent()).toBe('grinder');
    await saveScreenshot(panel, 'search-results');

    await result.click();
    await panel.waitForURL(/[?&]message=/);
    const chat = panel.getByTestId('chat-view');
    const focused = chat.locator('.history__row--focus');
    await focused.waitFor();
    expect(await focused.getByTestId('message-text').textContent()).toBe(
      'My espresso grinder arrived with a cracked hopper.',
    );
    await expect.poll(() => focused.isVisible()).toBe(true);
    expect(await chat.getAttribute('data-status')).toBe('closed');
    await saveScreenshot(panel, 'search-opened-at-match');

    // The side panel lists that closed stretch as an earlier conversation; it opens read-only.
    await panel.getByTestId('visitor-episode').first().click();
    await panel.getByTestId('episode-banner').waitFor();
    expect(await chat.getByTestId('composer-input').count()).toBe(0);
    expect(
      await chat.locator('.history__row--focus').getByTestId('message-text').textContent(),
    ).toBe('Hello!');
    await saveScreenshot(panel, 'search-episode-read-only');
    await panel.getByTestId('episode-back').click();
    await panel.getByTestId('episode-banner').waitFor({ state: 'detached' });
  });
});
