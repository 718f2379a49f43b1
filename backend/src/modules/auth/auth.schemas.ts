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
    code: z.string().trim().min(1).max(64).optional().meta({
      description:
        'For a user with two-factor on: the 6-digit code from their app, or one of their recovery codes',
    }),
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

/** The signed-in user, with what only they need to know about themselves. */
export const currentUserSchema = userSchema
  .extend({
    twoFactorSetupRequired: z.boolean().meta({
      description:
        'An admin whose business requires two-factor (settings.require2faForAdmins) and who has not set it up: until they do, every route but GET /api/me, logout and /api/me/2fa/setup|enable answers 403 TWO_FACTOR_SETUP_REQUIRED',
    }),
  })
  .meta({ id: 'CurrentUser' });

export const identitySchema = z
  .object({ user: currentUserSchema, tenant: tenantSchema })
  .meta({ id: 'Identity' });

export const sessionSchema = identitySchema
  .extend({ token: z.string().meta({ description: 'Send as "Authorization: Bearer <token>".' }) })
  .meta({ id: 'Session' });

export type CurrentUserDto = z.infer<typeof currentUserSchema>;
export type Identity = z.infer<typeof identitySchema>;
export type Session = z.infer<typeof sessionSchema>;
