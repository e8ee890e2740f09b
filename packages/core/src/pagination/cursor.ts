import { z } from 'zod';
import { AppError } from '../errors';

/**
 * Opaque keyset cursors: the sort values of the last row on a page, as base64url JSON. They are
 * input from outside like any other, so decoding validates the shape and a bad cursor answers a
 * field error, never a 500. They carry no secrets (the values are the caller's own rows).
 */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

const cursorValues = z
  .array(z.union([z.string().max(400), z.number()]))
  .min(1)
  .max(4);

export function decodeCursor<T extends z.ZodType>(cursor: string, shape: T): z.output<T> {
  try {
    const parsed = shape.safeParse(
      cursorValues.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))),
    );
    if (parsed.success) return parsed.data;
  } catch {
    // Falls through to the field error.
  }
  throw new AppError('BAD_REQUEST', 'VALIDATION_FAILED', {
    fieldErrors: { cursor: ['cursor.invalid'] },
  });
}

/** A timestamp as PostgreSQL prints it (microseconds kept, unlike a JS Date). */
export const pgTimestamp = z.string().regex(/^\d{4}-\d\d-\d\d[ T][\d:.]+([+-]\d\d(:?\d\d)?|Z)?$/);
export const uuidValue = z.uuid();
