// The "Connect a page" form's rules, kept out of the component so they can be tested without a DOM.
import { isApiError } from '@/api/http';
import type { FacebookPage, FacebookPageCreateInput, FacebookPageUpdateInput } from '@/api/types';
import { issues } from '@/utils/validation';
import type { FieldIssues } from '@/utils/validation';
import {
  changedDepartmentMenu,
  menuFormFrom,
  validateDepartmentMenu,
  type DepartmentMenuValues,
} from './department-menu-form';

export interface PageFormValues {
  /** Any label the admin likes. */
  name: string;
  /** Required on create; on edit a blank value keeps the current token. */
  accessToken: string;
  /** The confirmation code (verify token) Facebook sends back in the webhook handshake. */
  verifyToken: string;
  /** Required on create; on edit a blank value keeps the current secret. */
  appSecret: string;
  /** null: no department, any operator may get the chats. */
  departmentId: string | null;
  humanAgentEnabled: boolean;
  /** Edited on an existing page only (PATCH); a new page starts without one. */
  departmentMenu: DepartmentMenuValues;
  /** Handover protocol: Omni as secondary receiver beside the page's bot. */
  handoverEnabled: boolean;
}

export type PageFormField = keyof PageFormValues;

export const PAGE_FORM_FIELDS = [
  'name',
  'accessToken',
  'verifyToken',
  'appSecret',
  'departmentId',
  'humanAgentEnabled',
  'departmentMenu',
  'handoverEnabled',
] as const satisfies readonly PageFormField[];

/** Error codes that are about one field, so the message goes under that input. */
export const PAGE_ERROR_FIELDS: Partial<Record<string, PageFormField>> = {
  FACEBOOK_TOKEN_INVALID: 'accessToken',
  FACEBOOK_PAGE_MISMATCH: 'accessToken',
  PAGE_ALREADY_CONNECTED: 'accessToken',
  DEPARTMENT_MENU_TOO_MANY_OPTIONS: 'departmentMenu',
  DEPARTMENT_MENU_TITLE_LENGTH: 'departmentMenu',
  DEPARTMENT_MENU_DUPLICATE_TITLE: 'departmentMenu',
  DEPARTMENT_MENU_PROMPT_TOO_LONG: 'departmentMenu',
  DEPARTMENT_MENU_INCOMPLETE: 'departmentMenu',
  DEPARTMENT_MENU_UNKNOWN_DEPARTMENT: 'departmentMenu',
};

export type PageFormMode = { kind: 'create' } | { kind: 'edit'; page: FacebookPage };

export type PageSaveRequest =
  | { kind: 'create'; input: FacebookPageCreateInput }
  | { kind: 'edit'; id: string; input: FacebookPageUpdateInput };

/** Server rules for the confirmation code (facebook-pages.schemas.ts). */
export const VERIFY_TOKEN_RULES = { min: 8, max: 200, pattern: /^[\x21-\x7e]+$/ } as const;

/** Bytes of randomness in a generated confirmation code: 30 bytes → 40 base64url characters. */
const CONFIRMATION_CODE_BYTES = 30;

/**
 * A strong confirmation code made in the browser (crypto.getRandomValues), in base64url so it
 * pastes cleanly into Facebook's form: letters, digits, "-" and "_".
 */
export function generateConfirmationCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(CONFIRMATION_CODE_BYTES));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function emptyPageForm(): PageFormValues {
  return {
    name: '',
    accessToken: '',
    verifyToken: generateConfirmationCode(),
    appSecret: '',
    departmentId: null,
    humanAgentEnabled: false,
    departmentMenu: menuFormFrom(null),
    handoverEnabled: false,
  };
}

/** Secrets are never returned, so their inputs start empty ("leave blank to keep"). */
export function pageFormFrom(page: FacebookPage): PageFormValues {
  return {
    name: page.name,
    accessToken: '',
    verifyToken: page.verifyToken,
    appSecret: '',
    departmentId: page.departmentId,
    humanAgentEnabled: page.humanAgentEnabled,
    departmentMenu: menuFormFrom(page),
    handoverEnabled: page.handover.enabled,
  };
}

export function validatePageForm(
  values: PageFormValues,
  mode: PageFormMode,
): FieldIssues<PageFormField> {
  const result: FieldIssues<PageFormField> = {};
  const isCreate = mode.kind === 'create';
  if (!values.name.trim()) result.name = issues.required();
  if (isCreate && !values.accessToken.trim()) result.accessToken = issues.required();
  if (isCreate && !values.appSecret.trim()) result.appSecret = issues.required();
  const code = values.verifyToken.trim();
  if (!code) result.verifyToken = issues.required();
  else if (code.length < VERIFY_TOKEN_RULES.min || code.length > VERIFY_TOKEN_RULES.max) {
    result.verifyToken = {
      key: 'pages.verifyTokenLength',
      params: { min: VERIFY_TOKEN_RULES.min, max: VERIFY_TOKEN_RULES.max },
    };
  } else if (!VERIFY_TOKEN_RULES.pattern.test(code)) {
    result.verifyToken = { key: 'pages.verifyTokenCharacters' };
  }
  if (!isCreate) {
    const menuIssue = validateDepartmentMenu(values.departmentMenu);
    if (menuIssue) result.departmentMenu = menuIssue;
  }
  return result;
}

export function buildCreatePayload(values: PageFormValues): FacebookPageCreateInput {
  return {
    name: values.name.trim(),
    accessToken: values.accessToken.trim(),
    verifyToken: values.verifyToken.trim(),
    appSecret: values.appSecret.trim(),
    departmentId: values.departmentId,
    humanAgentEnabled: values.humanAgentEnabled,
    handover: { enabled: values.handoverEnabled },
  };
}

/**
 * Only what changed. A blank token or secret is left out: "keep the current one" (sending it
 * would make the server check a new token with Facebook).
 */
export function buildUpdatePayload(
  values: PageFormValues,
  original: FacebookPage,
): FacebookPageUpdateInput {
  const payload: FacebookPageUpdateInput = {};
  const name = values.name.trim();
  const accessToken = values.accessToken.trim();
  const appSecret = values.appSecret.trim();
  const verifyToken = values.verifyToken.trim();
  if (name !== original.name) payload.name = name;
  if (accessToken) payload.accessToken = accessToken;
  if (appSecret) payload.appSecret = appSecret;
  if (verifyToken !== original.verifyToken) payload.verifyToken = verifyToken;
  if (values.departmentId !== original.departmentId) payload.departmentId = values.departmentId;
  if (values.humanAgentEnabled !== original.humanAgentEnabled) {
    payload.humanAgentEnabled = values.humanAgentEnabled;
  }
  const departmentMenu = changedDepartmentMenu(values.departmentMenu, original);
  if (departmentMenu) payload.departmentMenu = departmentMenu;
  if (values.handoverEnabled !== original.handover.enabled) {
    payload.handover = { enabled: values.handoverEnabled };
  }
  return payload;
}

/** Facebook's own reason for refusing a token (details.fields.accessToken), when there is one. */
export function facebookRefusalReason(error: unknown): string | null {
  if (!isApiError(error) || error.code !== 'FACEBOOK_TOKEN_INVALID') return null;
  return error.fieldErrors.accessToken ?? null;
}

export type SetupStepId = 'token' | 'permissions' | 'webhook' | 'subscribed' | 'firstMessage';

export interface SetupStep {
  id: SetupStepId;
  done: boolean;
  /** When the step happened, where the server knows it. */
  at: string | null;
  /** The permissions the token lacks (the permissions step only). */
  missing?: string[];
}

/**
 * The setup checklist in order: token valid → permissions granted → webhook verified →
 * subscribed → first message.
 */
export function setupSteps(page: Pick<FacebookPage, 'status'>): SetupStep[] {
  const { status } = page;
  return [
    { id: 'token', done: status.tokenValid, at: null },
    {
      id: 'permissions',
      done: status.tokenValid && status.missingPermissions.length === 0,
      at: null,
      missing: status.missingPermissions,
    },
    { id: 'webhook', done: status.webhookVerifiedAt !== null, at: status.webhookVerifiedAt },
    { id: 'subscribed', done: status.subscribed, at: null },
    { id: 'firstMessage', done: status.lastEventAt !== null, at: status.lastEventAt },
  ];
}
