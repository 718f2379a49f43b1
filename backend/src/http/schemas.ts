import { z } from 'zod';
import 'zod-openapi';
import {
  describePasswordWeakness,
  MIN_PASSWORD_LENGTH,
  WEAK_PASSWORD,
} from '../modules/auth/password-policy.js';

/**
 * A zod issue whose `params[ERROR_CODE_PARAM]` is set gives the whole 400 that code instead
 * of VALIDATION_FAILED (the api router reads it); the fields are reported all the same.
 */
export const ERROR_CODE_PARAM = 'errorCode';

/** Input building blocks shared by several features. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter a valid email address.').max(254));

/**
 * Every new password (sign-up, operators, password change): the policy of
 * modules/auth/password-policy.ts, refused as 400 WEAK_PASSWORD.
 */
export const passwordSchema = z
  .string()
  .max(200, 'Use at most 200 characters.')
  .superRefine((password, context) => {
    const weakness = describePasswordWeakness(password);
    if (weakness) {
      context.addIssue({
        code: 'custom',
        message: weakness,
        params: { [ERROR_CODE_PARAM]: WEAK_PASSWORD },
      });
    }
  })
  .meta({
    description: `At least ${MIN_PASSWORD_LENGTH} characters, not one of the common passwords (else 400 WEAK_PASSWORD).`,
  });

export const personNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name.')
  .max(120, 'Use at most 120 characters.');

/**
 * An id of one of Omni's records (a UUID, as PostgreSQL stores it). A malformed id is bad
 * input (400 VALIDATION_FAILED); a well-formed unknown or other tenant's one is 404 NOT_FOUND.
 */
export const idSchema = z.guid('Not a valid id.');

export const idParamsSchema = z.object({ id: idSchema });

export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'VALIDATION_FAILED' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

/** Documents an error response in a route spec: `409: errorResponse('EMAIL_TAKEN')`. */
export const errorResponse = (description: string) => ({
  description,
  schema: errorResponseSchema,
});
