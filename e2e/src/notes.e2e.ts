import { describe, expect, it } from 'vitest';
import { saveScreenshot, useBrowser } from './browser.js';
import {
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
 * The operator holding a chat writes a private note mentioning a colleague, picked after @:
 * the colleague is told at once (a toast that opens the chat), the note shows in the history
 * apart from the conversation, and Facebook (the fake Graph) receives nothing. Then she
 * transfers the chat to him with a note, which is the newest message he finds in it.
 */
const browser = useBrowser();

describe('private notes', () => {
  it('a note with an @mention reaches the colleague live and never the Send API', async () => {
    const business = await createBusiness();
    const olga = await createOperator(business, 'Olga Operator');
    const boris = await createOperator(business, 'Boris Colleague');
    await setStatus(olga.token, 'online');
    const visitor = await registerVisitor(business, 'Nina', 'Notes');
    await deliver(business, [visitorMessage(business, visitor, 'My parcel never arrived')]);

    const borisPanel = await openPanel(browser(), boris.token, '/workspace');
    const olgaPanel = await openPanel(browser(), olga.token, '/workspace');
    await olgaPanel.getByTestId('workspace-tab-mine').click();
    await rowOf(olgaPanel, 'Nina Notes').click({ timeout: 20_000 });

    const chat = olgaPanel.getByTestId('chat-view');
    await chat.getByTestId('composer-mode-note').click();
    await chat.getByTestId('composer-note-hint').waitFor();
    const input = chat.getByTestId('composer-input').locator('textarea');
    await input.click();
    await input.pressSequentially('@Bor');
    await chat.getByTestId('mention-picker-option').first().waitFor();
    await saveScreenshot(olgaPanel, 'notes-mention-picker');
    await input.press('Enter');
    await expect.poll(() => input.inputValue()).toBe('@Boris Colleague ');
    await input.pressSequentially('can you check the courier?');
    await input.press('Enter');

    // The stored note (the panel shows its own copy at once, until the server's replaces it).
    const note = chat.locator(
      '[data-testid="message"][data-direction="internal"]:not([data-message-id^="local-"])',
    );
    await note.waitFor();
    expect(await note.textContent()).toContain('@Boris Colleague can you check the courier?');
    await saveScreenshot(olgaPanel, 'notes-composer');

    // Boris is told at once, and the toast opens the chat with the note in it.
    const toast = borisPanel.getByTestId('mention-toast');
    await toast.waitFor();
    expect(await toast.textContent()).toContain(
      'Olga Operator mentioned you in a chat with Nina Notes',
    );
    await saveScreenshot(borisPanel, 'notes-mention-toast');
    await toast.click();
    await borisPanel
      .getByTestId('chat-view')
      .locator('[data-testid="message"][data-direction="internal"]')
      .waitFor();

    // Olga hands the chat to Boris with a note: the first thing he finds in it.
    await setStatus(boris.token, 'away');
    await olgaPanel.getByTestId('chat-transfer').click();
    const dialog = olgaPanel.getByTestId('transfer-dialog');
    await dialog.getByTestId('transfer-operator').filter({ hasText: 'Boris Colleague' }).click();
    await dialog
      .getByTestId('transfer-note')
      .locator('textarea')
      .fill('Courier says it was delivered to a neighbour; please call her back.');
    await saveScreenshot(olgaPanel, 'notes-transfer-dialog');
    await dialog.getByTestId('transfer-confirm').click();
    await dialog.waitFor({ state: 'detached' });

    await borisPanel.getByTestId('workspace-tab-mine').click();
    await rowOf(borisPanel, 'Nina Notes').click();
    const newest = borisPanel.getByTestId('chat-view').getByTestId('message').last();
    await expect
      .poll(() => newest.textContent())
      .toContain('Courier says it was delivered to a neighbour; please call her back.');
    expect(await newest.getAttribute('data-direction')).toBe('internal');
    await saveScreenshot(borisPanel, 'notes-transfer-received');

    expect(await sentMessages(business)).toEqual([]);
  });
});
