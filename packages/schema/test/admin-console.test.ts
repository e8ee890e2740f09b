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
