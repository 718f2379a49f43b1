import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { faviconWithBadge, showFaviconBadge } from './favicon-badge';

const decoded = (href: string) => decodeURIComponent(href.replace('data:image/svg+xml,', ''));

describe('the favicon badge', () => {
  beforeEach(() => {
    document.head.innerHTML = '<link rel="icon" type="image/svg+xml" href="/favicon.svg" />';
  });
  afterEach(() => {
    document.head.innerHTML = '';
  });

  it('is the plain favicon when nothing needs a look', () => {
    expect(faviconWithBadge(0)).toBe('/favicon.svg');
  });

  it('shows the count, and 9+ beyond nine', () => {
    expect(decoded(faviconWithBadge(3))).toContain('>3</text>');
    expect(decoded(faviconWithBadge(12))).toContain('>9+</text>');
  });

  it('changes the page’s icon and puts it back', () => {
    const icon = () => document.querySelector('link[rel="icon"]')!.getAttribute('href')!;
    showFaviconBadge(2);
    expect(decoded(icon())).toContain('>2</text>');
    showFaviconBadge(0);
    expect(icon()).toBe('/favicon.svg');
  });
});
