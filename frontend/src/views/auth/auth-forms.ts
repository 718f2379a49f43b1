import type { LoginInput, SignupInput } from '@/api/types';
import { MIN_PASSWORD_LENGTH, isValidEmail, issues } from '@/utils/validation';
import type { FieldIssues } from '@/utils/validation';

export const LOGIN_FIELDS = [
  'email',
  'password',
  'code',
] as const satisfies readonly (keyof LoginInput)[];
export const SIGNUP_FIELDS = [
  'tenantName',
  'name',
  'email',
  'password',
] as const satisfies readonly (keyof SignupInput)[];

export function validateLogin(values: LoginInput): FieldIssues<keyof LoginInput> {
  const result: FieldIssues<keyof LoginInput> = {};
  if (!values.email.trim()) result.email = issues.required();
  else if (!isValidEmail(values.email)) result.email = issues.email();
  if (!values.password) result.password = issues.required();
  if (values.code !== undefined && !values.code.trim()) result.code = issues.required();
  return result;
}

export function validateSignup(values: SignupInput): FieldIssues<keyof SignupInput> {
  const result: FieldIssues<keyof SignupInput> = {};
  if (!values.tenantName.trim()) result.tenantName = issues.required();
  if (!values.name.trim()) result.name = issues.required();
  if (!values.email.trim()) result.email = issues.required();
  else if (!isValidEmail(values.email)) result.email = issues.email();
  if (values.password.length < MIN_PASSWORD_LENGTH) result.password = issues.passwordLength();
  return result;
}

/** The second step's code (TOTP or recovery code) goes along only once the server asked for it. */
export function toLoginPayload(values: LoginInput): LoginInput {
  const payload: LoginInput = { email: values.email.trim(), password: values.password };
  if (values.code !== undefined) payload.code = values.code.trim();
  return payload;
}

export function toSignupPayload(values: SignupInput): SignupInput {
  return {
    tenantName: values.tenantName.trim(),
    name: values.name.trim(),
    email: values.email.trim(),
    password: values.password,
  };
}

export const ACCEPT_INVITATION_FIELDS = ['name', 'password'] as const;

export type AcceptInvitationValues = { name: string; password: string };

export function validateAcceptInvitation(
  values: AcceptInvitationValues,
): FieldIssues<keyof AcceptInvitationValues> {
  const result: FieldIssues<keyof AcceptInvitationValues> = {};
  if (!values.name.trim()) result.name = issues.required();
  if (values.password.length < MIN_PASSWORD_LENGTH) result.password = issues.passwordLength();
  return result;
}
