import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { newPasswordSchema, passwordInputSchema } from '../src/password';

/** The messages of every issue, in order: a refusal must say exactly one thing. */
const refusal = (schema: z.ZodType, v: unknown) =>
  schema.safeParse(v).error?.issues.map((i) => i.message) ?? [];

// Built from pieces that are not in the common-password list, so only length decides.
const ascii = (n: number) => 'Qz7#kLp2Wx9!'.repeat(50).slice(0, n);
const cyrillic = (n: number) => 'ЖщЮяЁфЫъЭй'.repeat(20).slice(0, n);
const emoji = (n: number) => '🩺'.repeat(n);

describe('a new password: 8 to 128 characters, counted in code points', () => {
  it.each([
    ['ASCII', ascii],
    ['Cyrillic', cyrillic],
    ['emoji (two UTF-16 units each)', emoji],
  ])('refuses 7 and accepts 8 characters of %s', (_label, make) => {
    expect(refusal(newPasswordSchema, make(7))).toEqual(['password.too_short']);
    expect(newPasswordSchema.parse(make(8))).toBe(make(8));
  });

  it.each([
    ['ASCII', ascii],
    ['Cyrillic', cyrillic],
    ['emoji (two UTF-16 units each)', emoji],
  ])('accepts 128 and refuses 129 characters of %s', (_label, make) => {
    expect(newPasswordSchema.parse(make(128))).toBe(make(128));
    expect(refusal(newPasswordSchema, make(129))).toEqual(['password.too_long']);
  });

  it('refuses a common password in any letter case once its length is right', () => {
    expect(refusal(newPasswordSchema, 'qwerty123')).toEqual(['password.common']);
    expect(refusal(newPasswordSchema, 'QWERTY123')).toEqual(['password.common']);
  });

  it('answers a missing or non-string password with the same field code', () => {
    for (const v of [undefined, null, 12345678, ['password1']])
      expect(refusal(newPasswordSchema, v)).toEqual(['password.too_short']);
  });
});

describe('a password being checked: only bounded, never judged', () => {
  it('takes any non-empty password up to 512 code units, common or short', () => {
    for (const v of ['x', 'qwerty123', ascii(512)]) expect(passwordInputSchema.parse(v)).toBe(v);
  });

  it('refuses an empty, oversized or non-string password with one code', () => {
    expect(refusal(passwordInputSchema, '')).toEqual(['required']);
    expect(refusal(passwordInputSchema, ascii(513))).toEqual(['password.too_long']);
    expect(refusal(passwordInputSchema, 42)).toEqual(['password.too_short']);
  });
});
