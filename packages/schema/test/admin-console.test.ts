import { describe, expect, it } from 'vitest';
import { adminAuditListInput, AUDIT_DATE_MAX, AUDIT_DATE_MIN } from '../src/admin-console';
import { toFieldErrors } from '../src/errors';

describe('adminAuditListInput dates', () => {
  const refused = (from: unknown) => {
    const r = adminAuditListInput.safeParse({ from });
    return r.success ? null : toFieldErrors(r.error.issues);
  };

  // Found by fuzzing: a date JavaScript can hold but PostgreSQL cannot reached the query (500).
  it('refuses dates outside what PostgreSQL stores, as date.invalid', () => {
    for (const from of [new Date(-8.64e15), new Date(8.64e15), -8.64e15, '-271821-04-20'])
      expect(refused(from)).toEqual({ from: ['date.invalid'] });
  });

  it('takes the bounds themselves and ordinary dates', () => {
    for (const from of [AUDIT_DATE_MIN, AUDIT_DATE_MAX, new Date('2026-12-02'), '2026-12-02'])
      expect(refused(from)).toBeNull();
    expect(refused(new Date(AUDIT_DATE_MIN.getTime() - 1))).toEqual({ from: ['date.invalid'] });
    expect(refused(new Date(AUDIT_DATE_MAX.getTime() + 1))).toEqual({ from: ['date.invalid'] });
  });
});

describe('adminAuditListInput text filters', () => {
  // Found by fuzzing: a NUL in the action filter reached PostgreSQL, which refuses it (500).
  it('refuses control characters in action and entity as text.invalid', () => {
    for (const bad of ['admin\u0000login', 'user\u0007', 'a\u009fb']) {
      const r = adminAuditListInput.safeParse({ action: bad, entity: bad });
      expect(r.success ? null : toFieldErrors(r.error.issues)).toEqual({
        action: ['text.invalid'],
        entity: ['text.invalid'],
      });
    }
  });

  it('takes identifiers, entity ids and non-Latin text', () => {
    for (const ok of ['auth.login', 'user:0b7c6f9e-1d2a-4c3b-9e8f-7a6b5c4d3e2f', 'Тошкент'])
      expect(adminAuditListInput.safeParse({ action: ok, entity: ok }).success).toBe(true);
  });
});
