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

describe('field errors for keys a strict input does not take', () => {
  it('name each refused key, nested ones by their path', () => {
    const schema = z.strictObject({ a: z.string(), inner: z.strictObject({ b: z.string() }) });
    const result = schema.safeParse({ a: 'x', role: 'admin', inner: { b: 'y', workspaceId: 'w' } });
    expect(toFieldErrors(result.error!.issues)).toEqual({
      role: ['unknown_field'],
      'inner.workspaceId': ['unknown_field'],
    });
  });
});
