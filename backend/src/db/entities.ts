import { BaseEntitySchema } from './base.entity.js';
import { TenantOwnedEntitySchema } from './tenant-owned.entity.js';
import { DepartmentSchema } from '../modules/departments/department.entity.js';
import { UserSchema } from '../modules/operators/user.entity.js';
import { TenantSchema } from '../modules/tenants/tenant.entity.js';

/** Every entity schema the ORM knows. A new feature adds its schemas here. */
export const entitySchemas = [
  BaseEntitySchema,
  TenantOwnedEntitySchema,
  TenantSchema,
  DepartmentSchema,
  UserSchema,
];
