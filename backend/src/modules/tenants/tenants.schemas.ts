import { z } from 'zod';
import { canonicalTimeZone } from '../departments/business-hours.js';
import { TENANT_LANGUAGES, type Tenant } from './tenant.entity.js';

/** The longest silence `autoCloseAfterMinutes` may wait for: a week. */
export const AUTO_CLOSE_MAX_MINUTES = 10_080;
/** The bounds of `unansweredReminderSeconds`. */
export const UNANSWERED_REMINDER_SECONDS_RANGE = { min: 30, max: 3600 } as const;

/** The longest survey question (Messenger's text limit is 2000; a question stays short). */
export const CSAT_QUESTION_MAX_LENGTH = 640;

/** The longest privacy contact (an e-mail address may have 320 characters). */
export const PRIVACY_CONTACT_MAX_LENGTH = 320;

/** An e-mail address, or a web address a visitor's browser opens (http or https). */
function isPrivacyContact(value: string): boolean {
  return (
    z.email().safeParse(value).success ||
    z.url({ protocol: /^https?$/, hostname: z.regexes.domain }).safeParse(value).success
  );
}

/** The business's settings: the fields of the settings record, also in the tenant record. */
const settingsShape = {
  name: z.string(),
  language: z.enum(TENANT_LANGUAGES).meta({ description: 'Of the automatic messages to visitors' }),
  autoCloseAfterMinutes: z.number().int().nullable().meta({
    description:
      'Assigned chats whose visitor wrote nothing for this many minutes (counted from the later of their last message and the assignment) close by themselves; null: never',
  }),
  unansweredReminderSeconds: z.number().int().meta({
    description:
      "After this many seconds an unanswered visitor message in a held chat makes the operator's reminder repeat",
  }),
  defaultMaxChats: z
    .number()
    .int()
    .meta({ description: 'Chats an operator may hold unless their own limit says otherwise' }),
  firstResponseTimeoutSeconds: z.number().int().nullable().meta({
    description:
      'An automatically assigned chat unanswered this long goes to another operator; null: off',
  }),
  queueNoticeEnabled: z.boolean().meta({
    description:
      'A visitor who starts waiting is told their place in the queue and the expected wait',
  }),
  offlineNoticeEnabled: z.boolean().meta({
    description: 'A visitor who starts waiting is told when nobody of the department is online',
  }),
  csat: z
    .object({
      enabled: z.boolean().meta({
        description:
          'Closing a chat whose reply window is open asks the visitor for a rating 1–5 (once per close, never outside the window)',
      }),
      question: z.string().nullable().meta({
        description: "The survey's question; null: the default in the tenant's language",
      }),
    })
    .meta({ id: 'CsatSettings' }),
  timezone: z.string().meta({
    description:
      "The business's IANA time zone (default UTC): the reports' days begin at its midnight",
  }),
  require2faForAdmins: z.boolean().meta({
    description:
      'Admins sign in with a second factor; one without it must set it up before anything else (their sessions answer 403 TWO_FACTOR_SETUP_REQUIRED elsewhere)',
  }),
  privacyContact: z.string().nullable().meta({
    description:
      'An e-mail or web address where a visitor asks for their data to be deleted, shown on the public data-deletion page; null: none',
  }),
};

/** The business's settings record, as everyone of it may read it (GET /api/settings). */
export const settingsSchema = z.object(settingsShape).meta({ id: 'TenantSettings' });

export type SettingsDto = z.infer<typeof settingsSchema>;

export const tenantSchema = z
  .object({
    id: z.string(),
    key: z.string().meta({ description: 'Public, unguessable id used in the webhook URL.' }),
    callbackUrl: z
      .string()
      .meta({ description: 'Paste this into the Facebook app as the callback URL.' }),
    dataDeletionUrl: z.string().meta({
      description:
        "The public page telling visitors how to have their data deleted: the app's data deletion instructions URL",
    }),
    dataDeletionCallbackUrl: z.string().meta({
      description:
        "Where Facebook may send data deletion requests (the app's callback URL for them)",
    }),
    ...settingsShape,
    demo: z.boolean().meta({
      description: 'The demo business, with its Messenger simulator and App Review kit (demo mode)',
    }),
  })
  .meta({ id: 'Tenant' });

export type TenantDto = z.infer<typeof tenantSchema>;

export const updateTenantSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter a name.').max(200).optional(),
    defaultMaxChats: z.number().int().min(1).max(100).optional(),
    firstResponseTimeoutSeconds: z
      .number()
      .int()
      .min(15, 'Use at least 15 seconds.')
      .max(3600, 'Use at most an hour (3600 seconds).')
      .nullable()
      .optional(),
    language: z.enum(TENANT_LANGUAGES).optional(),
    autoCloseAfterMinutes: z
      .number()
      .int('Use a whole number of minutes.')
      .min(1, 'Use at least 1 minute, or turn automatic closing off.')
      .max(AUTO_CLOSE_MAX_MINUTES, 'Use at most a week (10080 minutes).')
      .nullable()
      .optional()
      .meta({ description: `1–${AUTO_CLOSE_MAX_MINUTES}, or null: never` }),
    unansweredReminderSeconds: z
      .number()
      .int('Use a whole number of seconds.')
      .min(UNANSWERED_REMINDER_SECONDS_RANGE.min, 'Use at least 30 seconds.')
      .max(UNANSWERED_REMINDER_SECONDS_RANGE.max, 'Use at most an hour (3600 seconds).')
      .optional(),
    queueNoticeEnabled: z.boolean().optional(),
    offlineNoticeEnabled: z.boolean().optional(),
    require2faForAdmins: z.boolean().optional(),
    timezone: z
      .string()
      .trim()
      .transform((name, context) => {
        const canonical = canonicalTimeZone(name);
        if (canonical === null) {
          context.addIssue({ code: 'custom', message: 'Choose an existing IANA time zone.' });
          return z.NEVER;
        }
        return canonical;
      })
      .optional()
      .meta({ description: 'An IANA time zone, e.g. Europe/Moscow' }),
    privacyContact: z
      .string()
      .trim()
      .max(PRIVACY_CONTACT_MAX_LENGTH, `Use at most ${PRIVACY_CONTACT_MAX_LENGTH} characters.`)
      .refine((value) => value === '' || isPrivacyContact(value), {
        message: 'Enter an e-mail address or a web address starting with https://.',
      })
      .nullable()
      .optional()
      .meta({ description: 'An e-mail address or an http(s) URL; null or empty: none' }),
    csat: z
      .object({
        enabled: z.boolean().optional(),
        question: z
          .string()
          .trim()
          .max(CSAT_QUESTION_MAX_LENGTH, `Use at most ${CSAT_QUESTION_MAX_LENGTH} characters.`)
          .nullable()
          .optional()
          .meta({ description: "null or empty: the default in the tenant's language" }),
      })
      .optional(),
  })
  .meta({ id: 'UpdateTenantInput' });

export type UpdateTenantInput = z.infer<typeof updateTenantSchema>;

export function toTenantDto(tenant: Tenant, publicUrl: string, demoMode: boolean): TenantDto {
  return {
    id: tenant.id,
    key: tenant.key,
    callbackUrl: tenant.callbackUrl(publicUrl),
    dataDeletionUrl: tenant.dataDeletionUrl(publicUrl),
    dataDeletionCallbackUrl: tenant.dataDeletionCallbackUrl(publicUrl),
    ...toSettingsDto(tenant),
    demo: demoMode && tenant.isDemo,
  };
}

export function toSettingsDto(tenant: Tenant): SettingsDto {
  return {
    name: tenant.name,
    language: tenant.language,
    autoCloseAfterMinutes: tenant.autoCloseAfterMinutes,
    unansweredReminderSeconds: tenant.unansweredReminderSeconds,
    defaultMaxChats: tenant.defaultMaxChats,
    firstResponseTimeoutSeconds: tenant.firstResponseTimeoutSeconds,
    queueNoticeEnabled: tenant.queueNoticeEnabled,
    offlineNoticeEnabled: tenant.offlineNoticeEnabled,
    csat: { enabled: tenant.csatEnabled, question: tenant.csatQuestion },
    timezone: tenant.timezone,
    require2faForAdmins: tenant.require2faForAdmins,
    privacyContact: tenant.privacyContact,
  };
}
