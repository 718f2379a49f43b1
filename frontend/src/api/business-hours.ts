import { http } from './http';
import type { BusinessHours, BusinessHoursInput } from './types';

const pathOf = (departmentId: string) =>
  `/api/departments/${encodeURIComponent(departmentId)}/hours`;

export function getBusinessHours(departmentId: string): Promise<BusinessHours> {
  return http.get<BusinessHours>(pathOf(departmentId));
}

/** 400 VALIDATION_FAILED with field errors (weekly.N.from, timezone, …). */
export function putBusinessHours(
  departmentId: string,
  input: BusinessHoursInput,
): Promise<BusinessHours> {
  return http.put<BusinessHours>(pathOf(departmentId), input);
}

/** Back to always open. */
export function deleteBusinessHours(departmentId: string): Promise<void> {
  return http.delete(pathOf(departmentId));
}
