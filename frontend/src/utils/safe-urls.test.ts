import { describe, expect, it } from 'vitest';
import { imageSourceOrNull, webLinkOrNull } from './safe-urls';

describe('links from outside', () => {
  it('are rendered only when they are web addresses or paths on Omni', () => {
    expect(webLinkOrNull('https://scontent.xx.fbcdn.net/v/p.png')).toBe(
      'https://scontent.xx.fbcdn.net/v/p.png',
    );
    expect(webLinkOrNull('/api/files/1?expires=1&signature=ab')).toBe(
      '/api/files/1?expires=1&signature=ab',
    );
    for (const value of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'vbscript:msgbox(1)',
      null,
      '',
    ]) {
      expect(webLinkOrNull(value), String(value)).toBeNull();
    }
  });

  it('may be inline pictures only where they are shown as images', () => {
    expect(imageSourceOrNull('data:image/png;base64,iVBORw0KGgo=')).toMatch(/^data:image/);
    expect(webLinkOrNull('data:image/png;base64,iVBORw0KGgo=')).toBeNull();
    expect(imageSourceOrNull('data:text/html,<b>x</b>')).toBeNull();
  });
});
