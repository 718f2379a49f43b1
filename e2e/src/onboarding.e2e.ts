import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, saveScreenshot } from './browser.js';

/**
 * The first minutes of a new business, through the real panel: sign up, create a
 * department and an operator in it, sign out, sign in as the operator and go online.
 */
const baseUrl = inject('baseUrl');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(() => browser?.close());

const unique = randomBytes(4).toString('hex');
const admin = {
  company: `Acme ${unique}`,
  name: 'Alice Admin',
  email: `alice-${unique}@example.test`,
  password: 'alice password',
};
const operator = {
  name: 'Oscar Operator',
  email: `oscar-${unique}@example.test`,
  password: 'oscar password',
};

async function newPage(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
    locale: 'en-US',
  });
  return context.newPage();
}

/** Reads the signed-in user from the API with the panel's own token, to check the server side. */
async function currentUser(
  page: Page,
): Promise<{ status: string; departmentIds: string[]; maxChats: number | null }> {
  const token = await page.evaluate(() => localStorage.getItem('omni.token'));
  const response = await fetch(`${baseUrl}/api/me`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(response.status).toBe(200);
  return (
    (await response.json()) as {
      user: { status: string; departmentIds: string[]; maxChats: number | null };
    }
  ).user;
}

describe('a new business gets started', () => {
  it('signs up, sets up a department and an operator, and the operator goes online', async () => {
    const page = await newPage();

    // Sign up: the admin lands in the admin area.
    await page.goto(`${baseUrl}/signup`);
    await page.getByTestId('signup-tenant-name').fill(admin.company);
    await page.getByTestId('signup-name').fill(admin.name);
    await page.getByTestId('signup-email').fill(admin.email);
    await page.getByTestId('signup-password').fill(admin.password);
    await page.getByTestId('signup-submit').click();
    await page.waitForURL(/\/admin/);
    await expect.poll(() => page.getByTestId('tenant-name').textContent()).toContain(admin.company);

    // A department.
    await page.getByTestId('nav-departments').click();
    await page.getByTestId('department-create').click();
    await page.getByTestId('department-name').fill('Support');
    await page.getByTestId('department-save').click();
    await page.getByTestId('departments-table').getByText('Support').waitFor();
    await saveScreenshot(page, 'onboarding-departments');

    // An operator in that department, with a capacity of 3 chats.
    await page.getByTestId('nav-operators').click();
    await page.getByTestId('operator-create').click();
    await page.getByTestId('operator-name').fill(operator.name);
    await page.getByTestId('operator-email').fill(operator.email);
    await page.getByTestId('operator-password').fill(operator.password);
    await page.getByTestId('operator-departments').click();
    await page.getByTestId('operator-department-option').filter({ hasText: 'Support' }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('operator-max-chats').fill('3');
    await page.getByTestId('operator-save').click();
    await page.getByTestId('operators-table').getByText(operator.email).waitFor();
    await saveScreenshot(page, 'onboarding-operators');

    // Sign out.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/login/);

    // The operator signs in and lands in the workspace, offline.
    await page.getByTestId('login-email').fill(operator.email);
    await page.getByTestId('login-password').fill(operator.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/workspace/);
    await page.getByTestId('offline-hint').waitFor();
    const before = await currentUser(page);
    expect(before).toMatchObject({ status: 'offline', maxChats: 3 });
    expect(before.departmentIds).toHaveLength(1);

    // Going online reaches the server, and the hint goes away.
    await page.getByTestId('presence-online').click();
    await expect.poll(async () => (await currentUser(page)).status).toBe('online');
    await page.getByTestId('offline-hint').waitFor({ state: 'detached' });
    await saveScreenshot(page, 'onboarding-workspace-online');

    // The operator cannot open the admin area.
    await page.goto(`${baseUrl}/admin/operators`);
    await page.waitForURL(/\/workspace/);
  });
});
