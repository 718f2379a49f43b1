import type { Page } from 'playwright-core';
import en from '../../frontend/src/i18n/locales/en.js';

type Tree = { [key: string]: string | Tree };

/** Pieces of English UI text long enough to be unmistakable on a translated screen. */
function englishFragments(tree: Tree): string[] {
  return Object.values(tree).flatMap((value) =>
    typeof value === 'string'
      ? value
          .split(/\{[^}]*\}/)
          .map((fragment) => fragment.trim())
          .filter((fragment) => fragment.length >= 12)
      : englishFragments(value),
  );
}
const fragments = englishFragments(en);

/** The panel's English sentences still on a screen that should be in another language. */
export async function untranslated(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => document.body.innerText);
  return fragments.filter((fragment) => text.includes(fragment));
}
