import { describe, expect, it } from 'vitest';
import {
  connectFacebookPage,
  createOperator,
  signUpTenant,
  useTestApi,
} from '../../testing/test-api.js';
import { choosePageLanguage } from './data-deletion-pages.js';
import { signRequest, verifySignedRequest } from './signed-request.js';

const api = useTestApi();

const deletionRequest = { algorithm: 'HMAC-SHA256', user_id: '218471', issued_at: 1291836800 };

const postCallback = (
  tenantKey: string,
  body: string,
  contentType = 'application/x-www-form-urlencoded',
) =>
  api.request('POST', `/api/webhooks/facebook/${tenantKey}/data-deletion`, {
    rawBody: body,
    headers: { 'content-type': contentType },
  });

describe('the public data-deletion page', () => {
  it("tells a visitor, in English or Russian, to write to the tenant's pages or its privacy contact, every value escaped", async () => {
    const admin = await signUpTenant(api, 'Shop <script>alert(1)</script>');
    const { page } = await connectFacebookPage(api, admin.token);
    const settings = await api.request('PATCH', '/api/settings', {
      token: admin.token,
      body: { privacyContact: 'privacy@shop.example' },
    });
    expect(settings.status).toBe(200);
    expect(settings.body.privacyContact).toBe('privacy@shop.example');
    const me = await api.request('GET', '/api/me', { token: admin.token });
    expect(me.body.tenant.dataDeletionUrl).toBe(
      `${api.config.publicUrl}/data-deletion/${admin.tenant.key}`,
    );
    expect(me.body.tenant.dataDeletionCallbackUrl).toBe(
      `${api.config.publicUrl}/api/webhooks/facebook/${admin.tenant.key}/data-deletion`,
    );

    const english = await api.request('GET', `/data-deletion/${admin.tenant.key}`);
    expect(english.status).toBe(200);
    expect(english.headers.get('content-type')).toContain('text/html');
    const html = english.body as string;
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('delete my data');
    expect(html).toContain(`<strong>${page.pageName as string}</strong>`);
    expect(html).toContain('href="mailto:privacy@shop.example"');
    expect(html).not.toContain('<script>');
    expect(html).toContain('Shop &lt;script&gt;alert(1)&lt;/script&gt;');

    const russian = await api.request('GET', `/data-deletion/${admin.tenant.key}`, {
      headers: { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.8' },
    });
    expect(russian.body).toContain('<html lang="ru">');
    expect(russian.body).toContain('Удаление ваших данных');
    const chosen = await api.request('GET', `/data-deletion/${admin.tenant.key}?lang=en`, {
      headers: { 'accept-language': 'ru' },
    });
    expect(chosen.body).toContain('<html lang="en">');

    expect((await api.request('GET', '/data-deletion/no-such-key')).status).toBe(404);
  });

  it('keeps privacyContact to an e-mail or a web address, for admins only', async () => {
    const admin = await signUpTenant(api);
    const patch = (body: unknown, token = admin.token) =>
      api.request('PATCH', '/api/settings', { token, body });
    for (const wrong of ['javascript:alert(1)', 'not an address', 'ftp://files.example']) {
      const refused = await patch({ privacyContact: wrong });
      expect(refused.status, wrong).toBe(400);
      expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect(
      (await patch({ privacyContact: 'https://shop.example/privacy' })).body.privacyContact,
    ).toBe('https://shop.example/privacy');
    const page = await api.request('GET', `/data-deletion/${admin.tenant.key}`);
    expect(page.body).toContain('href="https://shop.example/privacy"');
    expect((await patch({ privacyContact: '' })).body.privacyContact).toBeNull();
    const operator = await createOperator(api, admin.token);
    expect((await patch({ privacyContact: 'a@b.example' }, operator.token)).status).toBe(403);
  });
});

describe("Facebook's data deletion callback", () => {
  it('answers a request signed with a page app secret with a confirmation code whose status page explains it', async () => {
    const admin = await signUpTenant(api);
    const first = await connectFacebookPage(api, admin.token);
    const second = await connectFacebookPage(api, admin.token);
    // Either page's app may send it.
    const answer = await postCallback(
      admin.tenant.key,
      `signed_request=${encodeURIComponent(signRequest(deletionRequest, second.appSecret))}`,
    );
    expect(answer.status).toBe(200);
    const { url, confirmation_code: code } = answer.body as {
      url: string;
      confirmation_code: string;
    };
    expect(code).toMatch(/^[a-z0-9]{24}$/);
    expect(url).toBe(`${api.config.publicUrl}/data-deletion/status/${code}`);
    const asJson = await postCallback(
      admin.tenant.key,
      JSON.stringify({ signed_request: signRequest(deletionRequest, first.appSecret) }),
      'application/json',
    );
    expect(asJson.status).toBe(200);
    expect(asJson.body.confirmation_code).not.toBe(code);

    const status = await api.request('GET', `/data-deletion/status/${code}`);
    expect(status.status).toBe(200);
    expect(status.body).toContain(code);
    expect(status.body).toContain('nothing to delete');
    const russian = await api.request('GET', `/data-deletion/status/${code}?lang=ru`);
    expect(russian.body).toContain('Код подтверждения');
    expect((await api.request('GET', '/data-deletion/status/unknown')).status).toBe(404);
  });

  it('refuses a request that is missing, malformed or signed with another secret, and an unknown workspace', async () => {
    const admin = await signUpTenant(api);
    await connectFacebookPage(api, admin.token);
    const cases = {
      SIGNED_REQUEST_MISSING: '',
      SIGNED_REQUEST_INVALID: `signed_request=${encodeURIComponent(signRequest(deletionRequest, 'someone else'))}`,
    };
    for (const [code, body] of Object.entries(cases)) {
      const refused = await postCallback(admin.tenant.key, body);
      expect(refused.status, code).toBe(400);
      expect(refused.body.error.code).toBe(code);
    }
    for (const malformed of ['abc', 'a.b.c', '.', '%%%.%%%']) {
      const refused = await postCallback(admin.tenant.key, `signed_request=${malformed}`);
      expect(refused.body.error?.code, malformed).toBe('SIGNED_REQUEST_INVALID');
    }
    const unknown = await postCallback(
      'no-such-key',
      `signed_request=${encodeURIComponent(signRequest(deletionRequest, 'x'))}`,
    );
    expect(unknown.status).toBe(404);
  });
});

describe('signed requests and page languages', () => {
  it('verify only the HMAC-SHA256 of the payload text with one of the secrets', () => {
    const signed = signRequest(deletionRequest, 'secret-a');
    expect(verifySignedRequest(signed, ['other', 'secret-a'])).toMatchObject(deletionRequest);
    expect(verifySignedRequest(signed, ['other'])).toBeNull();
    const [signature, payload] = signed.split('.');
    // Facebook's own signatures may come padded.
    expect(verifySignedRequest(`${signature}=.${payload}`, ['secret-a'])).not.toBeNull();
    const tampered = Buffer.from(JSON.stringify({ ...deletionRequest, user_id: '1' })).toString(
      'base64url',
    );
    expect(verifySignedRequest(`${signature}.${tampered}`, ['secret-a'])).toBeNull();
    const otherAlgorithm = signRequest({ ...deletionRequest, algorithm: 'none' }, 'secret-a');
    expect(verifySignedRequest(otherAlgorithm, ['secret-a'])).toBeNull();
  });

  it('come from ?lang=, then Accept-Language by preference, then English', () => {
    expect(choosePageLanguage('ru', 'en')).toBe('ru');
    expect(choosePageLanguage('de', 'de-DE,ru;q=0.5,en;q=0.4')).toBe('ru');
    expect(choosePageLanguage(undefined, 'en;q=0.2,ru;q=0.9')).toBe('ru');
    expect(choosePageLanguage(undefined, 'fr')).toBe('en');
    expect(choosePageLanguage(undefined, undefined)).toBe('en');
  });
});
