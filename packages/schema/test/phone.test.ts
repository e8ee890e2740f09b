import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPhone, normalizeUzPhone, phoneSchema } from '../src/phone';

// Operator codes of Uzbek mobile networks (libphonenumber's mobile metadata).
const operator = fc.constantFrom(
  '20',
  '33',
  '50',
  '77',
  '88',
  '90',
  '91',
  '93',
  '94',
  '95',
  '97',
  '98',
  '99',
);
const subscriber = fc.stringMatching(/^\d{7}$/);
const sep = fc.constantFrom('', ' ', '-', '  ');

/** The same number written the ways people write it. */
function variants(op: string, sub: string, s: string): string[] {
  const a = sub.slice(0, 3);
  const b = sub.slice(3, 5);
  const c = sub.slice(5);
  return [
    `+998${op}${sub}`,
    `+998 ${op} ${a}${s}${b}${s}${c}`,
    `+998 (${op}) ${a}-${b}-${c}`,
    `998${op}${sub}`,
    `998 ${op} ${a} ${b} ${c}`,
    `${op}${sub}`,
    `${op} ${a}${s}${b}${s}${c}`,
    `(${op}) ${a}-${b}-${c}`,
    `  +998${op}${sub}  `,
  ];
}

describe('normalizeUzPhone', () => {
  it('maps every common written form of one number to the same E.164', () => {
    fc.assert(
      fc.property(operator, subscriber, sep, (op, sub, s) => {
        const expected = `+998${op}${sub}`;
        for (const v of variants(op, sub, s)) expect(normalizeUzPhone(v)).toBe(expected);
      }),
    );
  });

  it('never throws, and returns either null or a valid +998 E.164 number', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (raw) => {
        const out = normalizeUzPhone(raw);
        expect(out === null || /^\+998\d{9}$/.test(out)).toBe(true);
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(operator, subscriber, (op, sub) => {
        const once = normalizeUzPhone(`${op} ${sub}`);
        expect(once).not.toBeNull();
        expect(normalizeUzPhone(once!)).toBe(once);
      }),
    );
  });

  it.each([
    ['', 'empty'],
    ['12345', 'too short'],
    ['+998 90 123 45 6', 'one digit missing'],
    ['+998 90 123 45 678', 'one digit too many'],
    ['+998 71 123 45 67', 'a Tashkent landline, not a mobile'],
    ['+998 10 123 45 67', 'no such operator'],
    ['+7 900 123 45 67', 'a Russian number'],
    ['+1 202 555 0142', 'a US number'],
    ['+7 701 123 45 67', 'a Kazakh mobile'],
    ['+992 93 123 4567', 'a Tajik mobile'],
    ['+44 7400 123456', 'a British mobile'],
    ['90 123 45 67; drop table users', 'SQL appended'],
    ['<script>alert(1)</script>', 'HTML'],
    ['+998 90 123 45 67'.repeat(3), 'oversized'],
    ['９０１２３４５６７', 'full-width digits'],
  ])('refuses %j (%s)', (raw) => {
    expect(normalizeUzPhone(raw)).toBeNull();
    expect(phoneSchema.safeParse(raw).success).toBe(false);
  });

  it('reports a refused phone with the phone.invalid code', () => {
    const r = phoneSchema.safeParse('12');
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message)).toEqual(['phone.invalid']);
  });

  it('masks all but the operator and the last two digits', () => {
    expect(maskPhone('+998901234567')).toBe('+998 90 ***-**-67');
    fc.assert(
      fc.property(operator, subscriber, (op, sub) => {
        const masked = maskPhone(`+998${op}${sub}`);
        expect(masked).not.toContain(sub.slice(0, 5));
      }),
    );
  });
});
