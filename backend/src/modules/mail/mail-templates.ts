import type { TenantLanguage } from '../tenants/tenant.entity.js';

/** Every mail Omni sends and the values it is written from. */
export type MailTemplateValues = {
  invitation: {
    tenantName: string;
    inviterName: string;
    name: string;
    link: string;
    expiresAt: Date;
  };
  'password-reset': { name: string; link: string };
  /** A page's token stopped working (page-health). */
  'page-token-invalid': { name: string; pageName: string; facebookName: string; link: string };
  /** A page's token lacks permissions it needs (page-health); `permissions` comma-separated. */
  'page-permissions-missing': {
    name: string;
    pageName: string;
    facebookName: string;
    permissions: string;
    link: string;
  };
  /** Omni disabled an outbound webhook whose endpoint failed for a day (outbound-webhooks). */
  'webhook-disabled': { name: string; url: string; failingSince: Date; link: string };
};

export type MailTemplateName = keyof MailTemplateValues;

/** A mail ready to go: both parts are written from the same template. */
export type RenderedMail = { subject: string; text: string; html: string };

/**
 * A template in one language: `{placeholders}` name values (dates already formatted). The
 * paragraphs come before the link, `action` labels it, `footer` follows it.
 */
type Template = {
  subject: string;
  paragraphs: string[];
  action: string;
  footer: string;
};

const TEMPLATES: Record<MailTemplateName, Record<TenantLanguage, Template>> = {
  invitation: {
    en: {
      subject: 'You are invited to {tenantName} on Omni',
      paragraphs: [
        'Hello {name},',
        "{inviterName} invites you to answer {tenantName}'s customers on Omni.",
        'Set your password with this link (it works until {expiresAt}):',
      ],
      action: 'Accept the invitation',
      footer: 'If you did not expect this invitation, ignore this mail.',
    },
    ru: {
      subject: 'Приглашение в {tenantName} в Omni',
      paragraphs: [
        'Здравствуйте, {name}!',
        '{inviterName} приглашает вас отвечать клиентам {tenantName} в Omni.',
        'Задайте пароль по этой ссылке (она действует до {expiresAt}):',
      ],
      action: 'Принять приглашение',
      footer: 'Если вы не ждали этого приглашения, просто не отвечайте на письмо.',
    },
    bn: {
      subject: 'Omni-তে {tenantName}-এ যোগ দেওয়ার আমন্ত্রণ',
      paragraphs: [
        'নমস্কার {name},',
        '{inviterName} আপনাকে Omni-তে {tenantName}-এর গ্রাহকদের উত্তর দেওয়ার জন্য আমন্ত্রণ জানিয়েছেন।',
        'এই লিংক থেকে আপনার পাসওয়ার্ড সেট করুন ({expiresAt} পর্যন্ত কাজ করবে):',
      ],
      action: 'আমন্ত্রণ গ্রহণ করুন',
      footer: 'আপনি যদি এই আমন্ত্রণ আশা না করে থাকেন, তবে এই মেইলটি উপেক্ষা করুন।',
    },
  },
  'password-reset': {
    en: {
      subject: 'Reset your Omni password',
      paragraphs: [
        'Hello {name},',
        'Someone (hopefully you) asked to reset the password of your Omni account.',
        'Choose a new password with this link (it works once, for one hour):',
      ],
      action: 'Choose a new password',
      footer: 'If it was not you, ignore this mail: your password stays as it is.',
    },
    ru: {
      subject: 'Сброс пароля Omni',
      paragraphs: [
        'Здравствуйте, {name}!',
        'Кто-то (надеемся, вы) запросил сброс пароля вашей учётной записи Omni.',
        'Задайте новый пароль по этой ссылке (она действует один раз, в течение часа):',
      ],
      action: 'Задать новый пароль',
      footer: 'Если это были не вы, не обращайте внимания на письмо: пароль останется прежним.',
    },
    bn: {
      subject: 'আপনার Omni পাসওয়ার্ড রিসেট করুন',
      paragraphs: [
        'নমস্কার {name},',
        'কেউ (আশা করি আপনি) আপনার Omni অ্যাকাউন্টের পাসওয়ার্ড রিসেট করতে চেয়েছেন।',
        'এই লিংক থেকে নতুন পাসওয়ার্ড বেছে নিন (লিংকটি একবারই, এক ঘণ্টার জন্য কাজ করবে):',
      ],
      action: 'নতুন পাসওয়ার্ড বেছে নিন',
      footer: 'এটি যদি আপনি না হন, তবে এই মেইলটি উপেক্ষা করুন: আপনার পাসওয়ার্ড আগের মতোই থাকবে।',
    },
  },
  'page-token-invalid': {
    en: {
      subject: 'The page "{pageName}" can no longer receive or send messages',
      paragraphs: [
        'Hello {name},',
        'Facebook no longer accepts the access token of the page "{pageName}" ({facebookName}): it expired, a password changed, or access was withdrawn. Until an admin reconnects the page, replies to its visitors cannot be sent.',
        "Reconnect it: paste a new page access token in the page's settings in Omni.",
      ],
      action: 'Open the page settings',
      footer: 'You get this mail once per outage because you are an admin of this workspace.',
    },
    ru: {
      subject: 'Страница «{pageName}» больше не может получать и отправлять сообщения',
      paragraphs: [
        'Здравствуйте, {name}!',
        'Facebook больше не принимает маркер доступа страницы «{pageName}» ({facebookName}): срок его действия истёк, сменился пароль или доступ был отозван. Пока администратор не подключит страницу заново, ответы её посетителям не отправляются.',
        'Подключите её заново: вставьте новый маркер доступа страницы в её настройках в Omni.',
      ],
      action: 'Открыть настройки страницы',
      footer:
        'Это письмо приходит один раз на каждый сбой, потому что вы администратор этого пространства.',
    },
    bn: {
      subject: '"{pageName}" পেজটি আর মেসেজ পেতে বা পাঠাতে পারছে না',
      paragraphs: [
        'নমস্কার {name},',
        'Facebook আর "{pageName}" ({facebookName}) পেজের অ্যাক্সেস টোকেন গ্রহণ করছে না: এর মেয়াদ শেষ হয়েছে, পাসওয়ার্ড বদলেছে, বা অ্যাক্সেস প্রত্যাহার করা হয়েছে। একজন অ্যাডমিন পেজটি আবার সংযুক্ত না করা পর্যন্ত এর ভিজিটরদের উত্তর পাঠানো যাবে না।',
        'আবার সংযুক্ত করুন: Omni-তে পেজের সেটিংসে একটি নতুন পেজ অ্যাক্সেস টোকেন দিন।',
      ],
      action: 'পেজের সেটিংস খুলুন',
      footer: 'আপনি এই ওয়ার্কস্পেসের অ্যাডমিন বলে প্রতিটি সমস্যার জন্য একবার এই মেইলটি পান।',
    },
  },
  'page-permissions-missing': {
    en: {
      subject: 'The page "{pageName}" lacks permissions it needs',
      paragraphs: [
        'Hello {name},',
        'The access token of the page "{pageName}" ({facebookName}) lacks these permissions: {permissions}. Without them Omni may not receive or send its messages.',
        "Grant them in Facebook (or create a token that has them) and paste the token in the page's settings in Omni.",
      ],
      action: 'Open the page settings',
      footer: 'You get this mail once per outage because you are an admin of this workspace.',
    },
    ru: {
      subject: 'Странице «{pageName}» не хватает нужных разрешений',
      paragraphs: [
        'Здравствуйте, {name}!',
        'Маркеру доступа страницы «{pageName}» ({facebookName}) не хватает разрешений: {permissions}. Без них Omni может не получать и не отправлять её сообщения.',
        'Выдайте их в Facebook (или создайте маркер, у которого они есть) и вставьте маркер в настройках страницы в Omni.',
      ],
      action: 'Открыть настройки страницы',
      footer:
        'Это письмо приходит один раз на каждый сбой, потому что вы администратор этого пространства.',
    },
    bn: {
      subject: '"{pageName}" পেজের প্রয়োজনীয় অনুমতি নেই',
      paragraphs: [
        'নমস্কার {name},',
        '"{pageName}" ({facebookName}) পেজের অ্যাক্সেস টোকেনে এই অনুমতিগুলো নেই: {permissions}। এগুলো ছাড়া Omni এর মেসেজ পেতে বা পাঠাতে নাও পারে।',
        'Facebook-এ অনুমতিগুলো দিন (বা এগুলোসহ একটি টোকেন তৈরি করুন) এবং Omni-তে পেজের সেটিংসে টোকেনটি দিন।',
      ],
      action: 'পেজের সেটিংস খুলুন',
      footer: 'আপনি এই ওয়ার্কস্পেসের অ্যাডমিন বলে প্রতিটি সমস্যার জন্য একবার এই মেইলটি পান।',
    },
  },
  'webhook-disabled': {
    en: {
      subject: 'A webhook was turned off: its endpoint has failed for 24 hours',
      paragraphs: [
        'Hello {name},',
        'Omni could not deliver events to {url} since {failingSince}: every attempt failed or timed out. Omni has turned this webhook off and stopped retrying its deliveries.',
        'Fix the endpoint, turn the webhook on again in Omni, and retry the deliveries you still need from its log.',
      ],
      action: 'Open the webhooks',
      footer: 'You get this mail because you are an admin of this workspace.',
    },
    ru: {
      subject: 'Вебхук отключён: его адрес не отвечает 24 часа',
      paragraphs: [
        'Здравствуйте, {name}!',
        'Omni не может доставить события на {url} с {failingSince}: все попытки завершились ошибкой или по таймауту. Omni отключил этот вебхук и больше не повторяет его доставки.',
        'Исправьте адрес, снова включите вебхук в Omni и повторите из журнала те доставки, которые ещё нужны.',
      ],
      action: 'Открыть вебхуки',
      footer: 'Это письмо пришло вам, потому что вы администратор этого пространства.',
    },
    bn: {
      subject: 'একটি ওয়েবহুক বন্ধ করা হয়েছে: এর এন্ডপয়েন্ট ২৪ ঘণ্টা ধরে ব্যর্থ',
      paragraphs: [
        'নমস্কার {name},',
        '{failingSince} থেকে Omni {url}-এ ইভেন্ট পৌঁছাতে পারছে না: প্রতিটি চেষ্টা ব্যর্থ হয়েছে বা সময় শেষ হয়েছে। Omni এই ওয়েবহুকটি বন্ধ করেছে এবং এর ডেলিভারি আর পুনরায় চেষ্টা করছে না।',
        'এন্ডপয়েন্টটি ঠিক করুন, Omni-তে ওয়েবহুকটি আবার চালু করুন, এবং লগ থেকে যে ডেলিভারিগুলো এখনও দরকার সেগুলো আবার চেষ্টা করুন।',
      ],
      action: 'ওয়েবহুক খুলুন',
      footer: 'আপনি এই ওয়ার্কস্পেসের অ্যাডমিন বলে এই মেইলটি পেয়েছেন।',
    },
  },
};

/**
 * Writes the mail `name` in `language`: a plain-text part and an HTML part in which every
 * value is escaped (a name such as `<b>` arrives as text). The link is a value too.
 */
export function renderMail<N extends MailTemplateName>(
  name: N,
  language: TenantLanguage,
  values: MailTemplateValues[N],
): RenderedMail {
  const template = TEMPLATES[name][language];
  const strings = Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      value instanceof Date ? formatDate(value, language) : String(value),
    ]),
  );
  const link = strings['link'] ?? '';
  const fill = (text: string, escape: (value: string) => string) =>
    text.replace(/\{(\w+)\}/g, (placeholder, key: string) =>
      key in strings ? escape(strings[key]!) : placeholder,
    );
  const plain = (value: string) => value;
  const text = [
    ...template.paragraphs.map((paragraph) => fill(paragraph, plain)),
    link,
    template.footer,
  ].join('\n\n');
  const html = [
    `<!doctype html><html lang="${language}"><body style="font-family: sans-serif; line-height: 1.5">`,
    ...template.paragraphs.map((paragraph) => `<p>${fill(paragraph, escapeHtml)}</p>`),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(template.action)}</a></p>`,
    `<p style="color: #666">${escapeHtml(template.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: fill(template.subject, plain), text: `${text}\n`, html };
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function formatDate(date: Date, language: TenantLanguage): string {
  const formatted = new Intl.DateTimeFormat(language, {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(date);
  return `${formatted} UTC`;
}
