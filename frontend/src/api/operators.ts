import { http } from './http';
import type { OperatorCreateInput, OperatorUpdateInput, ResponseBody, User } from './types';

const encode = encodeURIComponent;

export async function listOperators(): Promise<User[]> {
  const { items } = await http.get<ResponseBody<'/api/operators', 'get'>>('/api/operators');
  return items;
}

/** 409 EMAIL_TAKEN when the email already has an account. */
export function createOperator(input: OperatorCreateInput): Promise<User> {
  return http.post<User>('/api/operators', input);
}

/** 409 LAST_ADMIN when the change would leave the tenant without an admin. */
export function updateOperator(id: string, input: OperatorUpdateInput): Promise<User> {
  return http.patch<User>(`/api/operators/${encode(id)}`, input);
}

/** 409 CANNOT_DELETE_SELF or LAST_ADMIN. */
export function deleteOperator(id: string): Promise<void> {
  return http.delete(`/api/operators/${encode(id)}`);
}

/** 409 TWO_FACTOR_RESET_OWN (one's own needs a code) or TWO_FACTOR_NOT_ENABLED. */
export function resetTwoFactor(id: string): Promise<User> {
  return http.delete<User>(`/api/operators/${encode(id)}/two-factor`);
}
