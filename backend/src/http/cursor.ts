import { validate as isUuid } from 'uuid';
import { z } from 'zod';

/** A position in a list ordered by a time and then by id (keyset pagination). */
export type KeysetCursor = { at: Date; id: string };

/** The opaque `nextCursor` the API hands out for a position. */
export function encodeKeysetCursor(cursor: KeysetCursor): string {
  return Buffer.from(JSON.stringify({ at: cursor.at.toISOString(), id: cursor.id })).toString(
    'base64url',
  );
}

/** The position a cursor names, or null when it is not one `encodeKeysetCursor` made. */
export function decodeKeysetCursor(text: string): KeysetCursor | null {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof decoded !== 'object' || decoded === null) return null;
  const { at, id } = decoded as Record<string, unknown>;
  // Both parts reach SQL: a date PostgreSQL can hold and an id it can cast.
  if (typeof at !== 'string' || typeof id !== 'string' || !isUuid(id)) return null;
  const time = new Date(at);
  if (Number.isNaN(time.getTime()) || time.toISOString() !== at) return null;
  return { at: time, id };
}

/**
 * A `cursor` query parameter, decoded while the request is validated: a cursor the API did
 * not give out is 400 VALIDATION_FAILED on `cursor`, like any other bad field.
 */
export const keysetCursorSchema = z
  .string()
  .max(500, 'This cursor is not one the API gave out.')
  .transform((text, context) => {
    const cursor = decodeKeysetCursor(text);
    if (!cursor) {
      context.addIssue({ code: 'custom', message: 'This cursor is not one the API gave out.' });
      return z.NEVER;
    }
    return cursor;
  })
  .meta({ description: 'The `nextCursor` of the previous page.' });
