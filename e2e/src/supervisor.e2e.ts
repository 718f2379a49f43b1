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
  setStatus,
  visitorMessage,
} from './workspace-fixtures.js';

/**
 * A supervisor finds a chat on "All conversations", reassigns it from the operator who holds
 * it to a colleague of the department, and both panels follow live.
 */
const browser = useBrowser();

describe('supervisor', () => {
  it('reassigns a held chat from the All conversations screen', async () => {
    const business = await createBusiness();
    const supervisor = await createOperator(
      business,
      'Sue Supervisor',
      [business.departmentId],
      'supervisor',
    );
    const holder = await createOperator(business, 'Hal Holder');
    const colleague = await createOperator(business, 'Cora Colleague');
    await setStatus(holder.token, 'online');
    const visitor = await registerVisitor(business, 'Stella', 'Stuck');
    await deliver(business, [visitorMessage(business, visitor, 'Is anybody there?')]);
    await expect
      .poll(
        async () =>
          (
            await api<{ items: { operatorId: string | null }[] }>(
              holder.token,
              'GET',
              '/api/conversations?status=assigned&mine=true',
            )
          ).items.length,
        { timeout: 15_000 },
      )
      .toBe(1);
    await setStatus(colleague.token, 'away');

    const panel = await openPanel(browser(), supervisor.token, '/oversight');
    await panel.getByTestId('nav-oversight').waitFor();
    const row = rowOf(panel, 'Stella Stuck');
    await row.click({ timeout: 20_000 });
    await panel.getByTestId('oversight-row').getByText('Hal Holder').waitFor();
    // Not theirs: read-only, but a note may be written.
    await panel.getByTestId('composer-disabled-reason').waitFor();

    await panel.getByTestId('chat-assign').click();
    const dialog = panel.getByTestId('assign-dialog');
    await dialog.getByTestId('assign-operator').filter({ hasText: 'Cora Colleague' }).click();
    await saveScreenshot(panel, 'assign-dialog');
    await dialog.getByTestId('assign-confirm').click();

    await panel.getByTestId('oversight-row').getByText('Cora Colleague').waitFor();
    const conversations = await api<{ items: { operatorId: string | null }[] }>(
      colleague.token,
      'GET',
      '/api/conversations?status=assigned&mine=true',
    );
    expect(conversations.items).toHaveLength(1);
    const log = panel.getByTestId('event-log');
    await expect.poll(() => log.textContent()).toContain('Sue Supervisor transferred it to Cora');
  });
});
