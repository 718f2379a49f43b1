// The App Review kit's texts, in English (for Meta) and Russian (for the business preparing the
// submission). They are content to paste into App Review, not the panel's chrome, so they live
// here rather than in vue-i18n and stay in these two languages whatever the panel speaks.
import type { DemoLogin, ReviewKit } from '@/api/types';

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
    };
    steps: Record<InstructionStep, Fill>;
  };
  permissions: { title: string; intro: string; texts: Record<ReviewPermission, string> };
  screencast: { title: string; intro: string; steps: Record<ScreencastStep, Fill> };
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
      },
      steps: {
        'open-login': (v) => `Open ${v.loginUrl} in a desktop browser (Chrome or Firefox).`,
        'sign-in': (v) =>
          `Sign in with the email ${v.email} and the password ${v.password}. This test account is an operator of a demo business whose Facebook Page “${v.pageName}” is connected to Omni.`,
        'open-simulator': (v) =>
          `In a second browser window, side by side with the first, open the Messenger simulator at ${v.simulatorUrl}. It plays a person writing to the Page in Messenger: pick a person at the top and send a message, for example “Hello, is my order on its way?”. The simulator delivers it to Omni as a real signed Messenger webhook.`,
        'go-online': (v) =>
          `In the first window, open the operator panel at ${v.panelUrl} and switch your status to Online (top right). Within a few seconds the chat arrives under “My chats” with the person’s name and profile photo. If it waits in the Queue instead, open it and press Take.`,
        reply: () =>
          'Open the chat, type a reply and press Enter. Omni sends it to the person through the Messenger Send API.',
        'see-reply': () =>
          'Look at the simulator: the reply appears in the Messenger conversation. In the panel the reply is marked Delivered, then Read once the person has seen it.',
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
          `Switch to Messenger (here: the Messenger simulator at ${v.simulatorUrl}) and send a message to the Page as a visitor.`,
        'chat-arrives': () =>
          'Show the message arriving in the operator panel, with the visitor’s name and profile photo.',
        reply: () => 'Type a reply in the panel and send it.',
        'reply-in-messenger': () =>
          'Show the reply arriving in Messenger, and the Delivered and Read marks on it in the panel.',
        'close-chat': () => 'Close the chat in the panel.',
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
      },
      steps: {
        'open-login': (v) =>
          `Откройте ${v.loginUrl} в браузере на компьютере (Chrome или Firefox).`,
        'sign-in': (v) =>
          `Войдите с почтой ${v.email} и паролем ${v.password}. Это тестовый аккаунт оператора демо-компании, к которой в Omni подключена страница Facebook «${v.pageName}».`,
        'open-simulator': (v) =>
          `Во втором окне браузера, рядом с первым, откройте симулятор Messenger: ${v.simulatorUrl}. Он играет человека, который пишет странице в Messenger: выберите собеседника вверху и отправьте сообщение, например «Здравствуйте, мой заказ уже в пути?». Симулятор доставит его в Omni настоящим подписанным вебхуком Messenger.`,
        'go-online': (v) =>
          `В первом окне откройте панель оператора ${v.panelUrl} и переключите статус на «В сети» (справа вверху). Через несколько секунд чат появится в «Моих чатах» с именем и фото собеседника. Если он ждёт в очереди, откройте его и нажмите «Взять».`,
        reply: () =>
          'Откройте чат, напишите ответ и нажмите Enter. Omni отправит его собеседнику через Messenger Send API.',
        'see-reply': () =>
          'Посмотрите на симулятор: ответ появится в переписке Messenger. В панели ответ получит отметку «Доставлено», а когда собеседник его увидит — «Прочитано».',
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
          `Перейдите в Messenger (здесь — симулятор Messenger, ${v.simulatorUrl}) и отправьте странице сообщение как посетитель.`,
        'chat-arrives': () =>
          'Покажите, как сообщение приходит в панель оператора с именем и фото посетителя.',
        reply: () => 'Напишите ответ в панели и отправьте его.',
        'reply-in-messenger': () =>
          'Покажите ответ в Messenger и отметки «Доставлено» и «Прочитано» на нём в панели.',
        'close-chat': () => 'Закройте чат в панели.',
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
}

/** The kit follows the panel when it is in Russian; otherwise it is in English, Meta's language. */
export function kitLanguageFor(locale: string): KitLanguage {
  return locale === 'ru' ? 'ru' : 'en';
}

/** The login the reviewer uses: the seeded reviewer, else whichever demo login there is. */
export function reviewerLoginOf(logins: readonly DemoLogin[]): DemoLogin | null {
  return logins.find((login) => login.role === 'reviewer') ?? logins[0] ?? null;
}

export function buildReviewKitContent(language: KitLanguage, kit: ReviewKit): ReviewKitContent {
  const texts = TEXTS[language];
  const reviewer = reviewerLoginOf(kit.logins);
  const values: KitValues = {
    loginUrl: kit.loginUrl,
    panelUrl: kit.panelUrl,
    simulatorUrl: kit.simulatorUrl,
    callbackUrl: kit.callbackUrl,
    dataDeletionUrl: kit.dataDeletionUrl,
    pageName: kit.pageName,
    email: reviewer?.email ?? '—',
    password: reviewer?.password ?? '—',
  };
  const { labels } = texts.instructions;
  return {
    instructions: {
      title: texts.instructions.title,
      intro: texts.instructions.intro,
      fields: [
        { id: 'loginUrl', label: labels.loginUrl, value: values.loginUrl },
        { id: 'email', label: labels.email, value: values.email },
        { id: 'password', label: labels.password, value: values.password },
        { id: 'simulatorUrl', label: labels.simulatorUrl, value: values.simulatorUrl },
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
  };
}

/** The numbered steps as one plain text, for the "Copy all steps" button. */
export function instructionsAsText(content: ReviewKitContent): string {
  return content.instructions.steps.map((step, index) => `${index + 1}. ${step.text}`).join('\n');
}
