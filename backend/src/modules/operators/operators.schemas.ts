import { z } from 'zod';
import { emailSchema, idSchema, passwordSchema, personNameSchema } from '../../http/schemas.js';
import { ASSIGNABLE_ROLES, OPERATOR_STATUSES, USER_ROLES, type User } from './user.entity.js';

export const userSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(USER_ROLES),
    status: z.enum(OPERATOR_STATUSES),
    maxChats: z
      .number()
      .int()
      .nullable()
      .meta({ description: "Simultaneous chats; null means the tenant's default." }),
    departmentIds: z.array(z.string()),
    twoFactorEnabled: z
      .boolean()
      .meta({ description: 'Signs in with a code from an authenticator app besides the password' }),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'User' });

export type UserDto = z.infer<typeof userSchema>;

const maxChatsSchema = z.number().int().min(1).max(100).nullable();
const departmentIdsSchema = z.array(idSchema).max(200);

export const createOperatorSchema = z
  .object({
    email: emailSchema,
    name: personNameSchema,
    password: passwordSchema,
    role: z.enum(ASSIGNABLE_ROLES).default('operator'),
    departmentIds: departmentIdsSchema.default([]),
    maxChats: maxChatsSchema.default(null),
  })
  .meta({ id: 'CreateOperatorInput' });

export type CreateOperatorInput = z.infer<typeof createOperatorSchema>;

export const updateOperatorSchema = z
  .object({
    email: emailSchema.optional(),
    name: personNameSchema.optional(),
    password: passwordSchema.optional(),
    role: z.enum(ASSIGNABLE_ROLES).optional(),
    departmentIds: departmentIdsSchema.optional(),
    maxChats: maxChatsSchema.optional(),
  })
  .meta({ id: 'UpdateOperatorInput' });

export type UpdateOperatorInput = z.infer<typeof updateOperatorSchema>;

export const setStatusSchema = z.object({ status: z.enum(OPERATOR_STATUSES) });

/** Needs `departments` loaded. */
export function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    status: user.status,
    maxChats: user.maxChats,
    departmentIds: user.departments.getItems().map((department) => department.id),
    twoFactorEnabled: user.isTwoFactorEnabled(),
    createdAt: user.createdAt.toISOString(),
  };
}
