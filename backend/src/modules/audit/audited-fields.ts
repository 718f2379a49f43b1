import type { CannedResponse } from '../canned-responses/canned-response.entity.js';
import type { BusinessHours } from '../departments/business-hours.js';
import type { Department } from '../departments/department.entity.js';
import type { FacebookPage } from '../facebook/facebook-page.entity.js';
import type { Invitation } from '../invitations/invitation.entity.js';
import type { Label } from '../labels/label.entity.js';
import type { User } from '../operators/user.entity.js';

/**
 * What the audit log compares of each record: its plain, readable fields (names rather
 * than ids where a name is at hand). Secrets are never part of a snapshot: a service
 * reports them with `secretsSet` when they were set anew.
 */
export type AuditedFields = Record<string, unknown>;

export function pageFields(page: FacebookPage): AuditedFields {
  return {
    name: page.name,
    pageName: page.pageName,
    department: nameOf(page.department),
    active: page.active,
    humanAgentEnabled: page.humanAgentEnabled,
    handoverEnabled: page.handoverEnabled,
    ...departmentMenuFields(page),
  };
}

/**
 * A page's department menu as the log shows it: "Billing → Accounts" per option (its title,
 * then its department's name), when the page has loaded them.
 */
function departmentMenuFields(page: FacebookPage): AuditedFields {
  if (!page.departmentMenuOptions.isInitialized()) return {};
  const options = page.departmentMenuOptions
    .getItems()
    .map((option) => `${option.title} → ${option.department.name}`);
  return {
    departmentMenuEnabled: page.departmentMenuEnabled,
    departmentMenuPrompt: page.departmentMenuPrompt,
    ...(options.length > 0 ? { departmentMenuOptions: options } : {}),
  };
}

export function operatorFields(user: User): AuditedFields {
  return {
    email: user.email,
    name: user.name,
    role: user.role,
    maxChats: user.maxChats,
    departments: user.departments.isInitialized()
      ? user.departments
          .getItems()
          .map((department) => department.name)
          .sort()
      : null,
  };
}

export function departmentFields(department: Department): AuditedFields {
  return { name: department.name };
}

/**
 * A schedule as lines a person reads: "1 09:00–13:00" per range (ISO day 1 = Monday); no
 * schedule (always open) has no fields.
 */
export function businessHoursFields(hours: BusinessHours | null): AuditedFields {
  if (!hours) return {};
  return {
    timezone: hours.timezone,
    weekly: hours.weekly.map((range) => `${range.day} ${range.from}–${range.to}`),
    holidays: hours.holidays,
    awayMessage: hours.awayMessage,
  };
}

export function labelFields(label: Label): AuditedFields {
  return { name: label.name, color: label.color };
}

export function cannedResponseFields(response: CannedResponse): AuditedFields {
  return {
    scope: response.scope,
    department: nameOf(response.department),
    shortcut: response.shortcut,
    title: response.title,
    text: response.text,
  };
}

export function invitationFields(invitation: Invitation): AuditedFields {
  return {
    email: invitation.email,
    name: invitation.name,
    role: invitation.role,
    maxChats: invitation.maxChats,
    departmentCount: invitation.departmentIds.length,
  };
}

/** A related record's name when it is loaded; an unloaded reference has none to show. */
function nameOf(related: { name?: string } | null): string | null {
  return related?.name ?? null;
}
