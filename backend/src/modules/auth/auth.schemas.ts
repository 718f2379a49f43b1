import { z } from 'zod';
import { emailSchema, passwordSchema, personNameSchema } from '../../http/schemas.js';
import { userSchema } from '../operators/operators.schemas.js';
import { tenantSchema } from '../tenants/tenants.schemas.js';

export const signUpSchema = z
  .object({
    tenantName: z.string().trim().min(1, 'Enter your company name.').max(200),
    name: personNameSchema,
    email: emailSchema,
    password: passwordSchema,
  })
  .meta({ id: 'SignUpInput' });

export type SignUpInput = z.infer<typeof signUpSchema>;

export const logInSchema = z
  .object({
    email: emailSchema,
    password: z.string().min(1, 'Enter your password.').max(200),
  })
  .meta({ id: 'LogInInput' });

export type LogInInput = z.infer<typeof logInSchema>;

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password.').max(200),
    newPassword: passwordSchema,
  })
  .meta({ id: 'ChangePasswordInput' });

export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

export const identitySchema = z
  .object({ user: userSchema, tenant: tenantSchema })
  .meta({ id: 'Identity' });

export const sessionSchema = identitySchema
  .extend({ token: z.string().meta({ description: 'Send as "Authorization: Bearer <token>".' }) })
  .meta({ id: 'Session' });

export type Identity = z.infer<typeof identitySchema>;
export type Session = z.infer<typeof sessionSchema>;
