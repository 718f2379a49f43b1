import { createHmac, randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { expect, inject } from 'vitest';

/**
 * A business set up through the public API (the panel's own flows for this are covered by
 * onboarding and facebook-page), with its own fake Facebook page, so tests never share a
 * queue. Visitors play Facebook: signed webhook deliveries to the tenant's callback URL.
 */
const baseUrl = inject('baseUrl');
const controlUrl = inject('fakeGraphControlUrl');

export type FakePageInfo = { pageId: string; name: string; accessToken: string; appSecret: string };
export type Visitor = { psid: string; firstName: string; lastName: string; profilePic: string };
export type SentMessage = {
  recipientId: string;
  messagingType: string;
  tag: string | null;
  text: string | null;
  messageId: string;
};

export async function api<T = unknown>(
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${controlUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

export type Business = {
  adminToken: string;
  callbackUrl: string;
  departmentId: string;
  otherDepartmentId: string;
  page: FakePageInfo;
  /** Omni's id of the connected page. */
  channelId: string;
};

/** A tenant with departments Support and Sales, and a fake page routed to Support. */
export async function createBusiness(
  options: { humanAgentEnabled?: boolean } = {},
): Promise<Business> {
  const unique = randomBytes(4).toString('hex');
  const { token, tenant } = await api<{ token: string; tenant: { callbackUrl: string } }>(
    null,
    'POST',
    '/api/auth/signup',
    {
      tenantName: `Coffee ${unique}`,
      name: 'Ada Admin',
      email: `ada-${unique}@example.test`,
      password: 'ada password',
    },
  );
  const support = await api<{ id: string }>(token, 'POST', '/api/departments', { name: 'Support' });
  const sales = await api<{ id: string }>(token, 'POST', '/api/departments', { name: 'Sales' });
  const page = await control<FakePageInfo>('POST', '/pages', { name: `Coffee Corner ${unique}` });
  const channel = await api<{ id: string }>(token, 'POST', '/api/channels/facebook', {
    name: 'Coffee Corner',
    accessToken: page.accessToken,
    appSecret: page.appSecret,
    departmentId: support.id,
    humanAgentEnabled: options.humanAgentEnabled ?? false,
  });
  return {
    adminToken: token,
    callbackUrl: tenant.callbackUrl,
    departmentId: support.id,
    otherDepartmentId: sales.id,
    page,
    channelId: channel.id,
  };
}

/** An operator (or supervisor) of the given departments; returns their session token and id. */
export async function createOperator(
  business: Business,
  name: string,
  departmentIds = [business.departmentId],
  role: 'operator' | 'supervisor' = 'operator',
): Promise<{ token: string; id: string }> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}-${randomBytes(3).toString('hex')}@example.test`;
  const user = await api<{ id: string }>(business.adminToken, 'POST', '/api/operators', {
    email,
    name,
    password: 'operator password',
    role,
    departmentIds,
    maxChats: null,
  });
  const { token } = await api<{ token: string }>(null, 'POST', '/api/auth/login', {
    email,
    password: 'operator password',
  });
  return { token, id: user.id };
}

export function setStatus(token: string, status: 'online' | 'away' | 'offline'): Promise<unknown> {
  return api(token, 'PUT', '/api/me/status', { status });
}

/** A Messenger user of the page, with a name and a profile picture the fake Graph returns. */
export function registerVisitor(
  business: Business,
  firstName: string,
  lastName: string,
): Promise<Visitor> {
  return control<Visitor>('POST', '/users', { pageId: business.page.pageId, firstName, lastName });
}

export function sentMessages(business: Business): Promise<SentMessage[]> {
  return control<SentMessage[]>('GET', `/sent-messages?pageId=${business.page.pageId}`);
}

/** Delivers one signed webhook with the messaging items, as Facebook does. */
export async function deliver(business: Business, messaging: object[]): Promise<void> {
  const body = JSON.stringify({
    object: 'page',
    entry: [{ id: business.page.pageId, time: Date.now(), messaging }],
  });
  const signature = createHmac('sha256', business.page.appSecret).update(body).digest('hex');
  const response = await fetch(business.callbackUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
    body,
  });
  expect(response.status).toBe(200);
}

export function visitorMessage(
  business: Business,
  visitor: Visitor,
  text: string,
  timestamp = Date.now(),
): object {
  return {
    sender: { id: visitor.psid },
    recipient: { id: business.page.pageId },
    timestamp,
    message: { mid: `m_${randomBytes(12).toString('hex')}`, text },
  };
}

/** A delivery (`kind: 'delivery'`) or read receipt up to the watermark. */
export function receipt(
  business: Business,
  visitor: Visitor,
  kind: 'delivery' | 'read',
  watermark = Date.now(),
): object {
  return {
    sender: { id: visitor.psid },
    recipient: { id: business.page.pageId },
    timestamp: watermark,
    [kind]: { watermark },
  };
}

/** A browser tab signed in with the token, at 1280×720, in the given panel language. */
export async function openPanel(
  browser: Browser,
  token: string,
  path: string,
  locale: 'en' | 'ru' | 'bn' = 'en',
): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 720 },
    locale: 'en-US',
  });
  // Under the test's own timeout, so a stuck step fails with its locator named.
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.evaluate(
    ([value, language]) => {
      localStorage.setItem('omni.token', value);
      localStorage.setItem('omni.locale', language);
    },
    [token, locale] as const,
  );
  await page.goto(`${baseUrl}${path}`);
  return page;
}

/** The conversation row of a visitor in the list on screen. */
export function rowOf(page: Page, name: string) {
  return page.getByTestId('conversation-row').filter({ hasText: name });
}
