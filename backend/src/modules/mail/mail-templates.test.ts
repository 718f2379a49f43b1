import { describe, expect, it } from 'vitest';
import { TENANT_LANGUAGES } from '../tenants/tenant.entity.js';
import { renderMail } from './mail-templates.js';

const hostile = '<script>alert("x")</script> & \'Co\'';

describe('mail templates', () => {
  it.each(TENANT_LANGUAGES)(
    'writes every mail in %s with both parts, every placeholder filled',
    (language) => {
      const mails = [
        renderMail('invitation', language, {
          tenantName: 'Acme',
          inviterName: 'Olga',
          name: 'Anna',
          link: 'https://omni.example.com/invite/abc',
          expiresAt: new Date('2026-12-10T12:00:00Z'),
        }),
        renderMail('password-reset', language, {
          name: 'Anna',
          link: 'https://omni.example.com/reset-password/abc',
        }),
      ];
      for (const mail of mails) {
        for (const part of [mail.subject, mail.text, mail.html]) {
          expect(part).not.toMatch(/\{\w+\}/);
        }
        expect(mail.text).toContain('https://omni.example.com/');
        expect(mail.html).toContain('href="https://omni.example.com/');
        expect(mail.html).toContain(`lang="${language}"`);
      }
      // The expiry in the language's own digits (Bengali writes ২০২৬).
      const year = new Intl.NumberFormat(language, { useGrouping: false }).format(2026);
      expect(mails[0]!.text).toContain(year);
    },
  );

  it('escapes every value in the HTML part and keeps it as written in the text part', () => {
    const mail = renderMail('invitation', 'en', {
      tenantName: hostile,
      inviterName: hostile,
      name: hostile,
      link: 'https://omni.example.com/invite/a"b<c',
      expiresAt: new Date('2026-12-10T12:00:00Z'),
    });
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;',
    );
    expect(mail.html).toContain('href="https://omni.example.com/invite/a&quot;b&lt;c"');
    expect(mail.text).toContain(`Hello ${hostile},`);
    expect(mail.subject).toBe(`You are invited to ${hostile} on Omni`);
  });
});
