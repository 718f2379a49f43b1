import { z } from 'zod';
import { isOpenAt } from './business-hours.js';
import type { Department } from './department.entity.js';

export const departmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    operatorCount: z.number().int(),
    open: z.boolean().meta({ description: 'Open now by its business hours (always, without)' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Department' });

export type DepartmentDto = z.infer<typeof departmentSchema>;

export const departmentInputSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter a name.').max(120, 'Use at most 120 characters.'),
  })
  .meta({ id: 'DepartmentInput' });

export type DepartmentInput = z.infer<typeof departmentInputSchema>;

export function toDepartmentDto(
  department: Department,
  operatorCount: number,
  now: Date,
): DepartmentDto {
  return {
    id: department.id,
    name: department.name,
    operatorCount,
    open: isOpenAt(department.hours, now),
    createdAt: department.createdAt.toISOString(),
  };
}
