import { escapeHtml } from '../mail/mail-templates.js';
import type { DeletionInstructions, DeletionRequestStatus } from './data-deletion.service.js';

/** The languages of the public data-deletion pages. */
export const PAGE_LANGUAGES = ['en', 'ru'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

/**
 * The page's language: `?lang=` when it names one, else the first of the browser's
 * (Accept-Language, in its order of preference) that the pages have, else English.
 */
export function choosePageLanguage(
  requested: string | undefined,
  acceptLanguage: string | undefined,
): PageLanguage {
  const isPageLanguage = (code: string): code is PageLanguage =>
    (PAGE_LANGUAGES as readonly string[]).includes(code);
  if (requested && isPageLanguage(requested)) return requested;
  const preferred = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [range = '', ...parameters] = part.trim().split(';');
      const quality = parameters.find((parameter) => parameter.trim().startsWith('q='));
      return {
        code: range.trim().toLowerCase().split('-')[0] ?? '',
        q: quality ? Number(quality.split('=')[1]) : 1,
      };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  return preferred.map((entry) => entry.code).find(isPageLanguage) ?? 'en';
}

/** The words the visitor writes to the page; the same in every language (operators look for it). */
export const DELETE_MY_DATA = 'delete my data';

type Texts = {
  title: string;
  intro: (business: string) => string;
  byMessenger: string;
  writeTo: (pages: string) => string;
  writeToAnyPage: string;
  byContact: string;
  whatIsErased: string;
  whatStays: string;
  noContact: string;
  statusTitle: string;
  statusReceived: (date: string) => string;
  statusCode: string;
  statusState: string;
  statusDone: string;
  statusExplanation: (business: string) => string;
  statusMessenger: string;
  otherLanguage: { label: string; lang: PageLanguage };
};

const TEXTS: Record<PageLanguage, Texts> = {
  en: {
    title: 'Deleting your data',
    intro: (business) =>
      `${business} answers Messenger conversations with Omni, a customer service inbox. Omni keeps what you write to the business's Facebook page: your messages and files, and your name and profile photo as Facebook gives them.`,
    byMessenger: 'Ask on Messenger',
    writeTo: (pages) => `Write “${DELETE_MY_DATA}” to ${pages} on Messenger.`,
    writeToAnyPage: `Write “${DELETE_MY_DATA}” to the business's Facebook page on Messenger.`,
    byContact: 'Or contact the business',
    whatIsErased:
      'An administrator then erases your messages, files, name and photo everywhere Omni keeps them. If you write again later, that starts a new conversation.',
    whatStays:
      'What stays is anonymous: that a conversation took place, when, and who handled it, for the business’s statistics.',
    noContact: 'The business has not given another address.',
    statusTitle: 'Your data deletion request',
    statusReceived: (date) => `Received on ${date}.`,
    statusCode: 'Confirmation code',
    statusState: 'Status',
    statusDone: 'Completed: nothing to delete',
    statusExplanation: (business) =>
      `Facebook sent this request with the id that your Facebook account has in the app of ${business}. Omni keeps no data under that id: Messenger conversations are kept under another id, which Facebook gives only to the page, so this request cannot find them.`,
    statusMessenger: `To have your Messenger conversations with the business erased, write “${DELETE_MY_DATA}” to its Facebook page, or contact it:`,
    otherLanguage: { label: 'Русский', lang: 'ru' },
  },
  ru: {
    title: 'Удаление ваших данных',
    intro: (business) =>
      `${business} отвечает на сообщения в Messenger через Omni — систему для службы поддержки. Omni хранит то, что вы пишете на страницу компании в Facebook: ваши сообщения и файлы, а также имя и фото профиля, которые передаёт Facebook.`,
    byMessenger: 'Напишите в Messenger',
    writeTo: (pages) => `Напишите «${DELETE_MY_DATA}» странице ${pages} в Messenger.`,
    writeToAnyPage: `Напишите «${DELETE_MY_DATA}» странице компании в Facebook через Messenger.`,
    byContact: 'Или свяжитесь с компанией',
    whatIsErased:
      'Администратор удалит ваши сообщения, файлы, имя и фото отовсюду, где их хранит Omni. Если вы напишете снова, начнётся новый разговор.',
    whatStays:
      'Остаются только обезличенные сведения для статистики компании: что разговор был, когда и кто его вёл.',
    noContact: 'Другого адреса компания не указала.',
    statusTitle: 'Ваш запрос на удаление данных',
    statusReceived: (date) => `Получен ${date}.`,
    statusCode: 'Код подтверждения',
    statusState: 'Состояние',
    statusDone: 'Выполнен: удалять нечего',
    statusExplanation: (business) =>
      `Facebook прислал этот запрос с идентификатором вашего аккаунта в приложении ${business}. По этому идентификатору Omni ничего не хранит: переписка в Messenger хранится под другим идентификатором, который Facebook сообщает только странице, поэтому этот запрос не может её найти.`,
    statusMessenger: `Чтобы удалить вашу переписку с компанией в Messenger, напишите «${DELETE_MY_DATA}» её странице в Facebook или свяжитесь с ней:`,
    otherLanguage: { label: 'English', lang: 'en' },
  },
};

/** The public page of a tenant telling a visitor how to have their data deleted. */
export function renderInstructionsPage(
  instructions: DeletionInstructions,
  language: PageLanguage,
): string {
  const texts = TEXTS[language];
  const business = escapeHtml(instructions.businessName);
  const pages = instructions.pageNames.map((name) => `<strong>${escapeHtml(name)}</strong>`);
  return layout(language, texts, texts.title, [
    `<p>${texts.intro(business)}</p>`,
    `<h2>${texts.byMessenger}</h2>`,
    `<p>${pages.length > 0 ? texts.writeTo(joinNames(pages, language)) : texts.writeToAnyPage}</p>`,
    `<h2>${texts.byContact}</h2>`,
    `<p>${instructions.privacyContact ? contactLink(instructions.privacyContact) : texts.noContact}</p>`,
    `<p>${texts.whatIsErased}</p>`,
    `<p class="muted">${texts.whatStays}</p>`,
  ]);
}

/** The status page a data deletion request's confirmation code opens. */
export function renderStatusPage(status: DeletionRequestStatus, language: PageLanguage): string {
  const texts = TEXTS[language];
  const date = new Intl.DateTimeFormat(language, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(status.receivedAt);
  const business = escapeHtml(status.businessName);
  return layout(language, texts, texts.statusTitle, [
    `<p>${escapeHtml(texts.statusReceived(`${date} UTC`))}</p>`,
    '<dl>',
    `<dt>${texts.statusCode}</dt><dd><code>${escapeHtml(status.confirmationCode)}</code></dd>`,
    `<dt>${texts.statusState}</dt><dd>${texts.statusDone}</dd>`,
    '</dl>',
    `<p>${texts.statusExplanation(business)}</p>`,
    `<p>${texts.statusMessenger} ${status.privacyContact ? contactLink(status.privacyContact) : ''}</p>`,
  ]);
}

function joinNames(names: string[], language: PageLanguage): string {
  if (names.length <= 1) return names.join('');
  const or = language === 'ru' ? ' или ' : ' or ';
  return `${names.slice(0, -1).join(', ')}${or}${names.at(-1)}`;
}

/** An e-mail address becomes a mailto: link; a web address (http/https only) a link. */
function contactLink(contact: string): string {
  const href = contact.includes('@') && !/^https?:/i.test(contact) ? `mailto:${contact}` : contact;
  if (!/^(mailto:|https?:\/\/)/i.test(href)) return escapeHtml(contact);
  return `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${escapeHtml(contact)}</a>`;
}

function layout(language: PageLanguage, texts: Texts, title: string, body: string[]): string {
  const other = texts.otherLanguage;
  return `<!doctype html>
<html lang="${language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
  body { margin: 0; background: #f5f6f8; color: #1f2328; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { max-width: 640px; margin: 48px auto; padding: 32px 36px; background: #fff; border-radius: 12px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  h1 { font-size: 26px; margin: 0 0 16px; }
  h2 { font-size: 18px; margin: 28px 0 8px; }
  p { margin: 0 0 12px; }
  .muted { color: #59636e; font-size: 14px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; margin: 16px 0 20px; }
  dt { color: #59636e; }
  dd { margin: 0; }
  code { font-size: 15px; background: #f0f1f3; padding: 2px 6px; border-radius: 4px; }
  a { color: #0b63ce; }
  nav { text-align: right; font-size: 14px; margin-bottom: 8px; }
  @media (max-width: 700px) { main { margin: 0; border-radius: 0; padding: 24px 20px; } }
</style>
</head>
<body>
<main>
<nav><a href="?lang=${other.lang}" hreflang="${other.lang}">${other.label}</a></nav>
<h1>${escapeHtml(title)}</h1>
${body.join('\n')}
</main>
</body>
</html>
`;
}
