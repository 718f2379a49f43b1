/** Omni's favicon (public/favicon.svg), drawn here too so a badge can be laid over it. */
const LOGO =
  '<rect width="32" height="32" rx="8" fill="#2f5bd3"/>' +
  '<circle cx="16" cy="16" r="8.5" fill="none" stroke="#fff" stroke-width="3.2"/>' +
  '<circle cx="16" cy="16" r="2.6" fill="#fff"/>';

/** The favicon with a red count in its corner; "99+" does not fit a tab, so 9+ is the most. */
export function faviconWithBadge(count: number): string {
  if (count <= 0) return '/favicon.svg';
  const label = count > 9 ? '9+' : String(count);
  const badge =
    '<circle cx="23" cy="9" r="9" fill="#e11d48" stroke="#fff" stroke-width="1.5"/>' +
    `<text x="23" y="13" font-family="Arial,sans-serif" font-size="${label.length > 1 ? 10 : 12}" ` +
    `font-weight="700" fill="#fff" text-anchor="middle">${label}</text>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${LOGO}${badge}</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** Points the page's icon at the badged favicon (the tab and the task bar show it). */
export function showFaviconBadge(count: number): void {
  const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) return;
  const href = faviconWithBadge(count);
  if (link.getAttribute('href') !== href) link.setAttribute('href', href);
}
