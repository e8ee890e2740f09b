import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toFieldErrors } from '../src/errors';

describe('field errors from a real parse', () => {
  it('tell a missing field from a value of the wrong type', () => {
    const schema = z.strictObject({ a: z.string(), b: z.string(), c: z.number() });
    const result = schema.safeParse({ b: 5, c: 'x' });
    expect(toFieldErrors(result.error!.issues)).toEqual({
      a: ['required'],
      b: ['invalid_type'],
      c: ['invalid_type'],
    });
  });
});
