import { http } from './http';
import type { Department, DepartmentInput, ResponseBody } from './types';

const encode = encodeURIComponent;

export async function listDepartments(): Promise<Department[]> {
  const { items } = await http.get<ResponseBody<'/api/departments', 'get'>>('/api/departments');
  return items;
}

/** 409 DEPARTMENT_NAME_TAKEN when the tenant already has one with this name. */
export function createDepartment(input: DepartmentInput): Promise<Department> {
  return http.post<Department>('/api/departments', input);
}

export function updateDepartment(id: string, input: DepartmentInput): Promise<Department> {
  return http.patch<Department>(`/api/departments/${encode(id)}`, input);
}

/** Operators keep their accounts but lose the membership. */
export function deleteDepartment(id: string): Promise<void> {
  return http.delete(`/api/departments/${encode(id)}`);
}
