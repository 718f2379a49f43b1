import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, inject, it } from 'vitest';
import { saveScreenshot, useBrowser } from './browser.js';
import { api } from './workspace-fixtures.js';

/**
 * The App Review demo, as a presenter records it: seed the demo business, sign in with the
 * login page's reviewer account, send as a visitor from the Messenger simulator, take and
 * answer the chat in the operator panel, and see the reply arrive in the simulator with its
 * ticks. The reviewer sees the kit and the operator's view and nothing else; a reset restores
 * the seed.
 */
const baseUrl = inject('baseUrl');
const omniEnvironment = inject('omniEnvironment');
const backendEntry = fileURLToPath(new URL('../../backend/dist/main.js', import.meta.url));
const browser = useBrowser();

type Login = { role: string; email: string; password: string };

/** `npm run demo:seed` / `demo:reset`, against the running Omni's database. */
function runDemoCommand(command: 'demo-seed' | 'demo-reset'): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [backendEntry, command], {
      env: { ...process.env, ...omniEnvironment },
      stdio: 'ignore',
    });
    child.once('exit', (code) => resolve(code));
  });
}

async function demoLogins(): Promise<Login[]> {
  const demo = await api<{ enabled: boolean; logins: Login[] }>(null, 'GET', '/api/demo');
  expect(demo.enabled).toBe(true);
  return demo.logins;
}

async function newTab(): Promise<Page> {
  const context = await browser().newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(20_000);
  return context.newPage();
}

describe('the demo business and its App Review kit', () => {
  it('plays the whole Messenger flow with the simulator and the reviewer login', async () => {
    expect(await runDemoCommand('demo-seed')).toBe(0);
    const logins = await demoLogins();
    const reviewer = logins.find((login) => login.role === 'reviewer')!;

    // The login page offers the demo accounts; the reviewer lands on the kit.
    const panel = await newTab();
    await panel.goto(`${baseUrl}/login`);
    await panel.getByTestId('demo-logins').waitFor();
    await panel.getByTestId('demo-login-reviewer').click();
    await panel.getByRole('button', { name: 'Sign in' }).click();
    await panel.getByTestId('review-kit-steps').waitFor();
    const steps = await panel.getByTestId('review-kit-steps').textContent();
    expect(steps).toContain(reviewer.email);
    expect(steps).toContain(reviewer.password);
    expect(steps).toContain(`${baseUrl}/simulator`);
    expect(await panel.getByTestId('review-kit-permissions').textContent()).toContain(
      'pages_manage_metadata',
    );
    await saveScreenshot(panel, 'demo-app-review-kit');
    // A reviewer has no admin area.
    expect(await panel.getByTestId('nav-departments').count()).toBe(0);
    const token = (await panel.evaluate(() => localStorage.getItem('omni.token')))!;
    for (const path of ['/api/operators', '/api/departments', '/api/channels/facebook']) {
      const response = await fetch(`${baseUrl}${path}`, {
        method: path === '/api/departments' ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: path === '/api/departments' ? JSON.stringify({ name: 'Nope' }) : undefined,
      });
      expect(response.status, path).toBe(403);
    }

    // The reviewer works chats: online in the panel.
    await panel.goto(`${baseUrl}/workspace`);
    await panel.getByTestId('go-online').click();
    await panel.getByTestId('offline-hint').waitFor({ state: 'detached' });

    // The simulator, in a second window, plays the visitor.
    const phone = await newTab();
    // The phone is not an operator's panel: it must not keep the reviewer "present".
    const realtimeRequests: string[] = [];
    phone.on('request', (request) => {
      if (request.url().includes('/socket.io/')) realtimeRequests.push(request.url());
    });
    await phone.goto(`${baseUrl}/login`);
    await phone.evaluate((value) => localStorage.setItem('omni.token', value), token);
    await phone.goto(`${baseUrl}/simulator`);
    await phone.getByTestId('simulator-persona-maya').click();
    await phone.getByTestId('simulator-input').fill('Hi! Is my flat white ready?');
    await phone.getByTestId('simulator-send').click();
    const visitorMessage = phone
      .getByTestId('simulator-message')
      .filter({ hasText: 'Is my flat white ready?' });
    await visitorMessage.waitFor();

    // It reaches the panel through the webhook, with the persona's name and photo.
    await panel.getByTestId('workspace-tab-mine').click();
    const row = panel.getByTestId('conversation-row').filter({ hasText: 'Maya Rahman' });
    await row.click({ timeout: 30_000 });
    await expect
      .poll(() => row.getByTestId('avatar-photo').getAttribute('src'), { timeout: 10_000 })
      .toBe(`${baseUrl}/api/demo/personas/maya.svg`);
    // Opening the chat tells the visitor it was seen.
    await expect
      .poll(() => phone.getByTestId('simulator-status').getAttribute('data-status'), {
        timeout: 15_000,
      })
      .toBe('seen');

    const input = panel.getByTestId('composer-input').locator('textarea');
    await input.fill('Yes, Maya, it is waiting at the counter.');
    await input.press('Enter');

    // The reply arrives in Messenger; the visitor reads it, and the panel shows "read".
    await phone
      .getByTestId('simulator-message')
      .filter({ hasText: 'it is waiting at the counter' })
      .waitFor({ timeout: 20_000 });
    const reply = panel.getByTestId('message').filter({ hasText: 'waiting at the counter' });
    await expect.poll(() => reply.getAttribute('data-status'), { timeout: 15_000 }).toBe('read');
    await saveScreenshot(phone, 'demo-simulator');
    expect(realtimeRequests).toEqual([]);
    await saveScreenshot(panel, 'demo-operator-panel');

    // A reset restores the seed: new passwords, no conversations.
    expect(await runDemoCommand('demo-reset')).toBe(0);
    const fresh = await demoLogins();
    expect(fresh.find((login) => login.role === 'reviewer')!.password).not.toBe(reviewer.password);
    const { token: adminToken } = await api<{ token: string }>(null, 'POST', '/api/auth/login', {
      email: fresh[0]!.email,
      password: fresh[0]!.password,
    });
    const conversations = await api<{ items: unknown[] }>(adminToken, 'GET', '/api/conversations');
    expect(conversations.items).toEqual([]);
    expect(
      (await fetch(`${baseUrl}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(401);
  });

  it("gives the admin the co-pilot: the page's readiness, a reset before the take, and a Human Agent reply after 24 hours", async () => {
    expect(await runDemoCommand('demo-seed')).toBe(0);
    const logins = await demoLogins();
    const signIn = async (role: string) => {
      const login = logins.find((candidate) => candidate.role === role)!;
      const session = await api<{ token: string }>(null, 'POST', '/api/auth/login', {
        email: login.email,
        password: login.password,
      });
      return session.token;
    };
    const open = async (token: string, path: string, locale = 'en') => {
      const tab = await newTab();
      await tab.goto(`${baseUrl}/login`);
      await tab.evaluate(
        ([value, language]) => {
          localStorage.setItem('omni.token', value!);
          localStorage.setItem('omni.locale', language!);
        },
        [token, locale],
      );
      await tab.goto(`${baseUrl}${path}`);
      return tab;
    };

    // The admin's kit checks the sandbox page with (the sandbox) Facebook now.
    const kit = await open(await signIn('admin'), '/app-review');
    await expect
      .poll(() => kit.getByTestId('page-readiness-permissions').getAttribute('data-done'), {
        timeout: 20_000,
      })
      .toBe('true');
    expect(await kit.getByTestId('page-readiness-human_agent').getAttribute('data-done')).toBe(
      'true',
    );

    // One click: the demo starts afresh and the simulator opens for the take.
    const [simulator] = await Promise.all([
      kit.context().waitForEvent('page'),
      kit.getByTestId('review-kit-reset-and-record').click(),
    ]);
    await kit.getByText('Record now').waitFor();
    await kit.getByTestId('review-kit-human-agent').scrollIntoViewIfNeeded();
    await saveScreenshot(kit, 'demo-review-kit-copilot');
    await simulator.getByTestId('simulator-page-name').waitFor({ timeout: 20_000 });

    // Human Agent: the visitor wrote 25 hours ago; the reviewer's reply goes with the tag.
    const workspace = await open(await signIn('reviewer'), '/workspace');
    await workspace.getByTestId('go-online').click();
    await workspace.getByTestId('offline-hint').waitFor({ state: 'detached' });
    await simulator.getByTestId('simulator-persona-sofia').click();
    await simulator.getByTestId('simulator-backdate').click();
    await simulator.getByTestId('simulator-input').fill('I ordered yesterday, any news?');
    await simulator.getByTestId('simulator-send').click();
    await workspace.getByTestId('workspace-tab-mine').click();
    await workspace
      .getByTestId('conversation-row')
      .filter({ hasText: 'Sofia García' })
      .click({ timeout: 30_000 });
    await workspace.getByTestId('composer-human-agent').waitFor();
    const input = workspace.getByTestId('composer-input').locator('textarea');
    await input.fill('Sorry for the wait, Sofia: it ships today.');
    await input.press('Enter');
    await simulator.getByTestId('simulator-human-agent-tag').waitFor({ timeout: 20_000 });
    await saveScreenshot(simulator, 'demo-simulator-human-agent');

    // The kit in Russian, panel and texts alike.
    const russianKit = await open(await signIn('admin'), '/app-review', 'ru');
    await russianKit.getByTestId('page-readiness-summary').waitFor({ timeout: 20_000 });
    expect(await russianKit.getByTestId('review-kit-human-agent').textContent()).toContain(
      'Скринкаст: ответ через 24 часа',
    );
    await saveScreenshot(russianKit, 'demo-review-kit-copilot-ru');
  }, 120_000); // four tabs and two round trips through the webhook and the worker
});
