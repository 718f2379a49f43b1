import { z } from 'zod';
import 'zod-openapi';

/** Input building blocks shared by several features. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('Enter a valid email address.').max(254));

export const passwordSchema = z
  .string()
  .min(8, 'Use at least 8 characters.')
  .max(200, 'Use at most 200 characters.');

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
