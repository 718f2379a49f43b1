// The operator form's rules, kept out of the component so they can be tested without a DOM.
import type {
  InvitationCreateInput,
  OperatorCreateInput,
  OperatorUpdateInput,
  User,
  UserRole,
} from '@/api/types';
import {
  MAX_CHATS_RANGE,
  MIN_PASSWORD_LENGTH,
  isValidEmail,
  isWholeNumberInRange,
  issues,
} from '@/utils/validation';
import type { FieldIssues } from '@/utils/validation';

export interface OperatorFormValues {
  name: string;
  email: string;
  /** Required on create; on edit a blank value keeps the current password. */
  password: string;
  role: UserRole;
  departmentIds: string[];
  /** null: the tenant default applies. */
  maxChats: number | null;
}

export type OperatorFormField = keyof OperatorFormValues;

export const OPERATOR_FORM_FIELDS = [
  'name',
  'email',
  'password',
  'role',
  'departmentIds',
  'maxChats',
] as const satisfies readonly OperatorFormField[];

/**
 * create: a new account with a password; invite: the same without one (the invitee sets it
 * through a mailed link); edit: changes to an existing account.
 */
export type OperatorFormMode =
  { kind: 'create' } | { kind: 'invite' } | { kind: 'edit'; operator: User };

/** What the form asks its parent to persist. */
export type OperatorSaveRequest =
  | { kind: 'create'; input: OperatorCreateInput }
  | { kind: 'invite'; input: InvitationCreateInput }
  | { kind: 'edit'; id: string; input: OperatorUpdateInput };

/** The roles an admin gives. A reviewer is made by the demo seeder, and stays one until changed. */
type AssignableRole = NonNullable<OperatorCreateInput['role']>;

function isAssignable(role: UserRole): role is AssignableRole {
  return role !== 'reviewer';
}

export function emptyOperatorForm(): OperatorFormValues {
  return { name: '', email: '', password: '', role: 'operator', departmentIds: [], maxChats: null };
}

export function operatorFormFrom(operator: User): OperatorFormValues {
  return {
    name: operator.name,
    email: operator.email,
    password: '',
    role: operator.role,
    departmentIds: [...operator.departmentIds],
    maxChats: operator.maxChats,
  };
}

export function validateOperatorForm(
  values: OperatorFormValues,
  mode: OperatorFormMode,
): FieldIssues<OperatorFormField> {
  const result: FieldIssues<OperatorFormField> = {};
  if (!values.name.trim()) result.name = issues.required();
  if (!values.email.trim()) result.email = issues.required();
  else if (!isValidEmail(values.email)) result.email = issues.email();
  if (mode.kind === 'create' && !values.password) result.password = issues.required();
  else if (
    mode.kind !== 'invite' &&
    values.password &&
    values.password.length < MIN_PASSWORD_LENGTH
  ) {
    result.password = issues.passwordLength();
  }
  if (values.maxChats !== null && !isWholeNumberInRange(values.maxChats, MAX_CHATS_RANGE)) {
    result.maxChats = issues.wholeNumber(MAX_CHATS_RANGE);
  }
  return result;
}

export function buildCreatePayload(values: OperatorFormValues): OperatorCreateInput {
  return {
    email: values.email.trim(),
    name: values.name.trim(),
    password: values.password,
    // The form offers a new account admin or operator only.
    role: isAssignable(values.role) ? values.role : 'operator',
    departmentIds: [...values.departmentIds],
    maxChats: values.maxChats,
  };
}

/** An invitation carries everything of a new account but its password. */
export function buildInvitePayload(values: OperatorFormValues): InvitationCreateInput {
  const { password: _password, ...invitation } = buildCreatePayload(values);
  return invitation;
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

/**
 * Only what changed, so saving never overwrites a concurrent edit of another field (or the
 * status the operator set meanwhile). A blank password is left out: "keep the current one".
 */
export function buildUpdatePayload(
  values: OperatorFormValues,
  original: User,
): OperatorUpdateInput {
  const payload: OperatorUpdateInput = {};
  const name = values.name.trim();
  const email = values.email.trim();
  if (name !== original.name) payload.name = name;
  if (email !== original.email) payload.email = email;
  if (values.password) payload.password = values.password;
  if (values.role !== original.role && isAssignable(values.role)) payload.role = values.role;
  if (!sameMembers(values.departmentIds, original.departmentIds)) {
    payload.departmentIds = [...values.departmentIds];
  }
  if (values.maxChats !== original.maxChats) payload.maxChats = values.maxChats;
  return payload;
}
