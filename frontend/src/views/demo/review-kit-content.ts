// The App Review kit's texts, in English (for Meta) and Russian (for the business preparing the
// submission). They are content to paste into App Review, not the panel's chrome, so they live
// here rather than in vue-i18n and stay in these two languages whatever the panel speaks.
import type { DemoLogin, ReviewKit, ReviewKitPage } from '@/api/types';

export const KIT_LANGUAGES = ['en', 'ru'] as const;
export type KitLanguage = (typeof KIT_LANGUAGES)[number];

/** The Page permissions Omni requests, in the order the kit explains them. */
export const REVIEW_PERMISSIONS = [
  'pages_messaging',
  'pages_manage_metadata',
  'pages_read_engagement',
  'pages_show_list',
] as const;
export type ReviewPermission = (typeof REVIEW_PERMISSIONS)[number];

export const INSTRUCTION_STEPS = [
  'open-login',
  'sign-in',
  'open-simulator',
  'go-online',
  'reply',
  'see-reply',
  'close-chat',
] as const;
export type InstructionStep = (typeof INSTRUCTION_STEPS)[number];

export const SCREENCAST_STEPS = [
  'login-and-page-settings',
  'send-from-messenger',
  'chat-arrives',
  'reply',
  'reply-in-messenger',
  'close-chat',
] as const;
export type ScreencastStep = (typeof SCREENCAST_STEPS)[number];

/** The Human Agent screencast: an operator's reply after the 24-hour window. */
export const HUMAN_AGENT_STEPS = [
  'human-agent-setting',
  'old-message',
  'window-over',
  'reply-after-24h',
  'reply-arrives',
] as const;
export type HumanAgentStep = (typeof HUMAN_AGENT_STEPS)[number];

/** What the texts are filled in with: the server's links and the reviewer's demo login. */
interface KitValues {
  loginUrl: string;
  panelUrl: string;
  simulatorUrl: string;
  callbackUrl: string;
  dataDeletionUrl: string;
  pageName: string;
  email: string;
  password: string;
  /** Real-Page mode: the page's m.me link replaces the simulator; null for the simulator. */
  messengerUrl: string | null;
}

type Fill = (values: KitValues) => string;

/** One language of the kit. Records keyed by the step lists keep both languages complete. */
interface KitTexts {
  instructions: {
    title: string;
    intro: string;
    labels: {
      loginUrl: string;
      email: string;
      password: string;
      simulatorUrl: string;
      dataDeletionUrl: string;
      messengerUrl: string;
    };
    steps: Record<InstructionStep, Fill>;
  };
  permissions: { title: string; intro: string; texts: Record<ReviewPermission, string> };
  screencast: { title: string; intro: string; steps: Record<ScreencastStep, Fill> };
  humanAgent: {
    title: string;
    intro: string;
    justificationTitle: string;
    justification: string;
    stepsTitle: string;
    steps: Record<HumanAgentStep, Fill>;
  };
}

const TEXTS: Record<KitLanguage, KitTexts> = {
  en: {
    instructions: {
      title: 'Test instructions for the reviewer',
      intro:
        'Paste them into the testing instructions of your App Review submission. The demo login and the links are filled in.',
      labels: {
        loginUrl: 'Sign-in page',
        email: 'Email',
        password: 'Password',
        simulatorUrl: 'Messenger simulator',
        dataDeletionUrl:
          'Data deletion instructions URL (App settings → Basic → Data deletion: a public page telling people to write “delete my data” to the Page; an admin then erases them)',
        messengerUrl: 'Messenger link to the Page',
      },
      steps: {
        'open-login': (v) => `Open ${v.loginUrl} in a desktop browser (Chrome or Firefox).`,
        'sign-in': (v) =>
          `Sign in with the email ${v.email} and the password ${v.password}. This test account is an operator of a demo business whose Facebook Page “${v.pageName}” is connected to Omni.`,
        'open-simulator': (v) =>
          v.messengerUrl
            ? `In a second browser window, side by side with the first and signed in to Facebook, open ${v.messengerUrl}: it starts a Messenger conversation with the Page “${v.pageName}”. Send a message, for example “Hello, is my order on its way?”. Facebook delivers it to Omni through the Page’s webhook.`
            : `In a second browser window, side by side with the first, open the Messenger simulator at ${v.simulatorUrl}. It plays a person writing to the Page in Messenger: pick a person at the top and send a message, for example “Hello, is my order on its way?”. The simulator delivers it to Omni as a real signed Messenger webhook.`,
        'go-online': (v) =>
          `In the first window, open the operator panel at ${v.panelUrl} and switch your status to Online (top right). Within a few seconds the chat arrives under “My chats” with the person’s name and profile photo. If it waits in the Queue instead, open it and press Take.`,
        reply: () =>
          'Open the chat, type a reply and press Enter. Omni sends it to the person through the Messenger Send API.',
        'see-reply': (v) =>
          `Look at ${v.messengerUrl ? 'Messenger' : 'the simulator'}: the reply appears in the Messenger conversation. In the panel the reply is marked Delivered, then Read once the person has seen it.`,
        'close-chat': () =>
          'Close the chat with the Close button in the panel. If the person writes again, the conversation returns to the queue.',
      },
    },
    permissions: {
      title: 'Why we request each permission',
      intro:
        'One paragraph per permission, for the “How will your app use this permission?” field.',
      texts: {
        pages_messaging:
          'Omni is a shared inbox in which a business’s support team answers the Messenger conversations of its Facebook Page. We use pages_messaging to send the replies the business’s operators write in Omni to people who have messaged the Page, within Messenger’s 24-hour standard messaging window, and to receive the Page’s message webhooks (new messages, deliveries and reads) so that each conversation appears in Omni in real time. Omni only answers people who wrote to the Page first; it sends no promotional or unsolicited messages.',
        pages_manage_metadata:
          'We use pages_manage_metadata to subscribe the business’s Page to our app’s webhooks (messages, message_deliveries, message_reads, messaging_postbacks), so that the messages people send to the Page reach Omni, and to keep that subscription and the Page’s messaging settings in place when the business reconnects the Page. Without it Omni would receive no messages at all.',
        pages_read_engagement:
          'We use pages_read_engagement to read the Page’s name and the basic Page metadata that Omni shows operators, so they know which Page each conversation came from. The names and profile photos of the people who write to the Page, shown next to their conversations, are read through the User Profile API under Business Asset User Profile Access.',
        pages_show_list:
          'pages_show_list is required together with pages_messaging and pages_manage_metadata: the business admin obtains the Page access token for the one Page they choose to connect (in the Facebook app, where the Pages they manage are listed) and pastes it into Omni. Omni itself never lists or uses any other Page of the person.',
      },
    },
    screencast: {
      title: 'Screencast script',
      intro:
        'Record the whole flow in one take, in this order. Tick each step once it is recorded.',
      steps: {
        'login-and-page-settings': (v) =>
          `Sign in to Omni and open Facebook pages: show the connected Page “${v.pageName}” and its callback URL ${v.callbackUrl}, where Facebook sends the Page’s messages.`,
        'send-from-messenger': (v) =>
          v.messengerUrl
            ? `Switch to Messenger (${v.messengerUrl}) and send a message to the Page as a visitor.`
            : `Switch to Messenger (here: the Messenger simulator at ${v.simulatorUrl}) and send a message to the Page as a visitor.`,
        'chat-arrives': () =>
          'Show the message arriving in the operator panel, with the visitor’s name and profile photo.',
        reply: () => 'Type a reply in the panel and send it.',
        'reply-in-messenger': () =>
          'Show the reply arriving in Messenger, and the Delivered and Read marks on it in the panel.',
        'close-chat': () => 'Close the chat in the panel.',
      },
    },
    humanAgent: {
      title: 'Human Agent',
      intro:
        'For the Human Agent feature: the justification to paste into the request, and a screencast that shows an operator replying after the 24-hour window.',
      justificationTitle: 'How will your app use Human Agent?',
      justification:
        'Omni is a customer-support inbox in which a business’s human support agents answer the Messenger conversations of its Facebook Page. Many support questions cannot be resolved within 24 hours: an order has to be checked with the warehouse, a refund needs approval, or the person wrote outside opening hours or at the weekend. Human Agent lets an agent send the answer to the person’s own question up to 7 days after their last message. Omni adds the HUMAN_AGENT tag only to messages that a human agent types and sends by hand in that conversation, and only once the 24-hour window has passed; it never uses the tag for automated messages, bots, surveys or promotions. The tag is available only on Pages whose admin has turned the Human agent setting on, and Omni stops all replies 7 days after the person’s last message.',
      stepsTitle: 'Screencast: a reply after 24 hours',
      steps: {
        'human-agent-setting': (v) =>
          `In Omni, open Facebook pages and show that Human agent is on for the Page “${v.pageName}”.`,
        'old-message': (v) =>
          v.messengerUrl
            ? `Use a conversation in which the visitor last wrote to the Page (${v.messengerUrl}) more than 24 hours and less than 7 days ago: write to it a day before recording.`
            : `In the simulator (${v.simulatorUrl}), pick a person who has not written since the demo was reset, tick “Written 25 hours ago” and send a message, for example “I ordered yesterday and have heard nothing since”.`,
        'window-over': () =>
          'Open the chat in the panel: the message is more than 24 hours old, and the reply box says that the 24-hour window is over and the reply goes as a human-agent message.',
        'reply-after-24h': () => 'Type a reply by hand and send it.',
        'reply-arrives': (v) =>
          v.messengerUrl
            ? 'Show the reply arriving in the Messenger conversation.'
            : 'Show the reply arriving in the simulator, marked “Human agent”: the Send API’s HUMAN_AGENT tag.',
      },
    },
  },
  ru: {
    instructions: {
      title: 'Инструкция для проверяющего',
      intro:
        'Вставьте её в инструкции для тестирования в заявке App Review. Демо-логин и ссылки уже подставлены.',
      labels: {
        loginUrl: 'Страница входа',
        email: 'Почта',
        password: 'Пароль',
        simulatorUrl: 'Симулятор Messenger',
        dataDeletionUrl:
          'Адрес инструкций по удалению данных (Настройки приложения → Основное → Удаление данных: публичная страница, где сказано написать странице «delete my data»; затем администратор удаляет данные)',
        messengerUrl: 'Ссылка на страницу в Messenger',
      },
      steps: {
        'open-login': (v) =>
          `Откройте ${v.loginUrl} в браузере на компьютере (Chrome или Firefox).`,
        'sign-in': (v) =>
          `Войдите с почтой ${v.email} и паролем ${v.password}. Это тестовый аккаунт оператора демо-компании, к которой в Omni подключена страница Facebook «${v.pageName}».`,
        'open-simulator': (v) =>
          v.messengerUrl
            ? `Во втором окне браузера, рядом с первым, войдите в Facebook и откройте ${v.messengerUrl}: начнётся переписка в Messenger со страницей «${v.pageName}». Отправьте сообщение, например «Здравствуйте, мой заказ уже в пути?». Facebook доставит его в Omni через вебхук страницы.`
            : `Во втором окне браузера, рядом с первым, откройте симулятор Messenger: ${v.simulatorUrl}. Он играет человека, который пишет странице в Messenger: выберите собеседника вверху и отправьте сообщение, например «Здравствуйте, мой заказ уже в пути?». Симулятор доставит его в Omni настоящим подписанным вебхуком Messenger.`,
        'go-online': (v) =>
          `В первом окне откройте панель оператора ${v.panelUrl} и переключите статус на «В сети» (справа вверху). Через несколько секунд чат появится в «Моих чатах» с именем и фото собеседника. Если он ждёт в очереди, откройте его и нажмите «Взять».`,
        reply: () =>
          'Откройте чат, напишите ответ и нажмите Enter. Omni отправит его собеседнику через Messenger Send API.',
        'see-reply': (v) =>
          `Посмотрите на ${v.messengerUrl ? 'Messenger' : 'симулятор'}: ответ появится в переписке Messenger. В панели ответ получит отметку «Доставлено», а когда собеседник его увидит — «Прочитано».`,
        'close-chat': () =>
          'Закройте чат кнопкой «Закрыть» в панели. Если собеседник напишет снова, диалог вернётся в очередь.',
      },
    },
    permissions: {
      title: 'Зачем нужно каждое разрешение',
      intro:
        'По абзацу на разрешение — для поля «Как ваше приложение будет использовать это разрешение?».',
      texts: {
        pages_messaging:
          'Omni — общий входящий ящик, в котором команда поддержки компании отвечает на диалоги Messenger её страницы Facebook. Разрешение pages_messaging нужно, чтобы отправлять ответы, которые операторы компании пишут в Omni, людям, написавшим странице, в пределах стандартного 24-часового окна Messenger, и получать вебхуки сообщений страницы (новые сообщения, доставка, прочтение), чтобы каждый диалог появлялся в Omni в реальном времени. Omni отвечает только тем, кто написал странице первым, и не отправляет рекламных или непрошеных сообщений.',
        pages_manage_metadata:
          'Разрешение pages_manage_metadata нужно, чтобы подписать страницу компании на вебхуки нашего приложения (messages, message_deliveries, message_reads, messaging_postbacks) — так сообщения, которые люди пишут странице, доходят до Omni, — и сохранять эту подписку и настройки сообщений страницы, когда компания подключает страницу заново. Без него Omni не получит ни одного сообщения.',
        pages_read_engagement:
          'Разрешение pages_read_engagement нужно, чтобы читать название и основные данные страницы, которые Omni показывает операторам: так видно, с какой страницы пришёл диалог. Имена и фото профиля людей, которые пишут странице, Omni получает через User Profile API с доступом Business Asset User Profile Access.',
        pages_show_list:
          'Разрешение pages_show_list требуется вместе с pages_messaging и pages_manage_metadata: администратор компании получает маркер доступа к одной выбранной им странице (в приложении Facebook, где перечислены страницы, которыми он управляет) и вставляет его в Omni. Сам Omni никогда не получает список других страниц человека и не использует их.',
      },
    },
    screencast: {
      title: 'Сценарий скринкаста',
      intro: 'Запишите весь сценарий одним дублем в этом порядке. Отмечайте шаг, когда он записан.',
      steps: {
        'login-and-page-settings': (v) =>
          `Войдите в Omni и откройте «Страницы Facebook»: покажите подключённую страницу «${v.pageName}» и её Callback URL ${v.callbackUrl}, на который Facebook присылает сообщения страницы.`,
        'send-from-messenger': (v) =>
          v.messengerUrl
            ? `Перейдите в Messenger (${v.messengerUrl}) и отправьте странице сообщение как посетитель.`
            : `Перейдите в Messenger (здесь — симулятор Messenger, ${v.simulatorUrl}) и отправьте странице сообщение как посетитель.`,
        'chat-arrives': () =>
          'Покажите, как сообщение приходит в панель оператора с именем и фото посетителя.',
        reply: () => 'Напишите ответ в панели и отправьте его.',
        'reply-in-messenger': () =>
          'Покажите ответ в Messenger и отметки «Доставлено» и «Прочитано» на нём в панели.',
        'close-chat': () => 'Закройте чат в панели.',
      },
    },
    humanAgent: {
      title: 'Human Agent',
      intro:
        'Для функции Human Agent: обоснование для заявки и скринкаст, где оператор отвечает после 24-часового окна.',
      justificationTitle: 'Как ваше приложение будет использовать Human Agent?',
      justification:
        'Omni — входящий ящик поддержки, в котором живые сотрудники компании отвечают на диалоги Messenger её страницы Facebook. Многие вопросы нельзя решить за 24 часа: заказ нужно проверить на складе, возврат — согласовать, а человек мог написать в нерабочее время или в выходные. Human Agent позволяет сотруднику отправить ответ на вопрос самого человека в течение 7 дней после его последнего сообщения. Omni ставит тег HUMAN_AGENT только на сообщения, которые сотрудник сам набирает и отправляет в этом диалоге, и только после окончания 24-часового окна; тег никогда не используется для автоматических сообщений, ботов, опросов или рекламы. Тег доступен только на страницах, где администратор включил настройку Human agent, а через 7 дней после последнего сообщения человека Omni не отправляет ответов вовсе.',
      stepsTitle: 'Скринкаст: ответ через 24 часа',
      steps: {
        'human-agent-setting': (v) =>
          `В Omni откройте «Страницы Facebook» и покажите, что для страницы «${v.pageName}» включён Human agent.`,
        'old-message': (v) =>
          v.messengerUrl
            ? `Возьмите диалог, в котором посетитель последний раз писал странице (${v.messengerUrl}) больше 24 часов и меньше 7 дней назад: напишите ей за день до записи.`
            : `В симуляторе (${v.simulatorUrl}) выберите собеседника, который не писал после сброса демо, отметьте «Написано 25 часов назад» и отправьте сообщение, например «Заказал вчера, и до сих пор тишина».`,
        'window-over': () =>
          'Откройте чат в панели: сообщению больше 24 часов, а над полем ответа написано, что 24-часовое окно закончилось и ответ уйдёт как сообщение живого сотрудника (human agent).',
        'reply-after-24h': () => 'Наберите ответ вручную и отправьте его.',
        'reply-arrives': (v) =>
          v.messengerUrl
            ? 'Покажите ответ в переписке Messenger.'
            : 'Покажите ответ в симуляторе с отметкой «Human agent» — это тег HUMAN_AGENT в Send API.',
      },
    },
  },
};

export interface ReviewKitContent {
  instructions: {
    title: string;
    intro: string;
    /** The reviewer's login and links, each copied on its own into App Review's fields. */
    fields: { id: keyof KitTexts['instructions']['labels']; label: string; value: string }[];
    steps: { id: InstructionStep; text: string }[];
  };
  permissions: {
    title: string;
    intro: string;
    items: { permission: ReviewPermission; text: string }[];
  };
  screencast: { title: string; intro: string; steps: { id: ScreencastStep; text: string }[] };
  humanAgent: {
    title: string;
    intro: string;
    justificationTitle: string;
    justification: string;
    stepsTitle: string;
    steps: { id: HumanAgentStep; text: string }[];
  };
}

/** The kit follows the panel when it is in Russian; otherwise it is in English, Meta's language. */
export function kitLanguageFor(locale: string): KitLanguage {
  return locale === 'ru' ? 'ru' : 'en';
}

/** The login the reviewer uses: the seeded reviewer, else whichever demo login there is. */
export function reviewerLoginOf(logins: readonly DemoLogin[]): DemoLogin | null {
  return logins.find((login) => login.role === 'reviewer') ?? logins[0] ?? null;
}

/** The real pages a reviewer can write to instead of the simulator (real-Page mode). */
export function realPagesOf(kit: ReviewKit): ReviewKitPage[] {
  return kit.pages.filter((page) => !page.sandbox);
}

/**
 * The kit's texts filled in. With `realPage` (real-Page mode) the reviewer writes to that
 * page through its m.me link instead of the simulator.
 */
export function buildReviewKitContent(
  language: KitLanguage,
  kit: ReviewKit,
  realPage: ReviewKitPage | null = null,
): ReviewKitContent {
  const texts = TEXTS[language];
  const reviewer = reviewerLoginOf(kit.logins);
  const values: KitValues = {
    loginUrl: kit.loginUrl,
    panelUrl: kit.panelUrl,
    simulatorUrl: kit.simulatorUrl,
    callbackUrl: kit.callbackUrl,
    dataDeletionUrl: kit.dataDeletionUrl,
    pageName: realPage?.pageName ?? kit.pageName,
    email: reviewer?.email ?? '—',
    password: reviewer?.password ?? '—',
    messengerUrl: realPage?.messengerUrl ?? null,
  };
  const { labels } = texts.instructions;
  const writeTo = realPage
    ? { id: 'messengerUrl' as const, label: labels.messengerUrl, value: realPage.messengerUrl }
    : { id: 'simulatorUrl' as const, label: labels.simulatorUrl, value: values.simulatorUrl };
  return {
    instructions: {
      title: texts.instructions.title,
      intro: texts.instructions.intro,
      fields: [
        { id: 'loginUrl', label: labels.loginUrl, value: values.loginUrl },
        { id: 'email', label: labels.email, value: values.email },
        { id: 'password', label: labels.password, value: values.password },
        writeTo,
        { id: 'dataDeletionUrl', label: labels.dataDeletionUrl, value: values.dataDeletionUrl },
      ],
      steps: INSTRUCTION_STEPS.map((id) => ({ id, text: texts.instructions.steps[id](values) })),
    },
    permissions: {
      title: texts.permissions.title,
      intro: texts.permissions.intro,
      items: REVIEW_PERMISSIONS.map((permission) => ({
        permission,
        text: texts.permissions.texts[permission],
      })),
    },
    screencast: {
      title: texts.screencast.title,
      intro: texts.screencast.intro,
      steps: SCREENCAST_STEPS.map((id) => ({ id, text: texts.screencast.steps[id](values) })),
    },
    humanAgent: {
      title: texts.humanAgent.title,
      intro: texts.humanAgent.intro,
      justificationTitle: texts.humanAgent.justificationTitle,
      justification: texts.humanAgent.justification,
      stepsTitle: texts.humanAgent.stepsTitle,
      steps: HUMAN_AGENT_STEPS.map((id) => ({ id, text: texts.humanAgent.steps[id](values) })),
    },
  };
}

/** The numbered steps as one plain text, for the "Copy all steps" button. */
export function instructionsAsText(content: ReviewKitContent): string {
  return content.instructions.steps.map((step, index) => `${index + 1}. ${step.text}`).join('\n');
}
