import { describe, expect, it } from 'vitest';
import { changePasswordInput, registerInput } from '../src/auth';
import { toFieldErrors } from '../src/errors';
import { nameSchema, normalizeName } from '../src/name';
import { newPasswordSchema } from '../src/password';

describe('names', () => {
  it.each([
    ['Oʻtkir Hoshimov', 'Oʻtkir Hoshimov'],
    ["O'tkir Hoshimov", 'Oʻtkir Hoshimov'],
    ['G‘ulom  Zafariy', 'Gʻulom Zafariy'],
    ['Maʼmura', 'Maʼmura'],
    ["Ma'mura", 'Maʼmura'],
    ['Анна-Мария Петрова', 'Анна-Мария Петрова'],
    ['  Ali   Valiyev ', 'Ali Valiyev'],
    ['Ўткир Ҳошимов', 'Ўткир Ҳошимов'],
    ['José Müller-Lüdenscheidt', 'José Müller-Lüdenscheidt'],
    ['Zoë', 'Zoë'],
    // NFKC: full-width letters and a full-width apostrophe become the ordinary ones.
    ['Ａｌｉ Ｖａｌｉｙｅｖ', 'Ali Valiyev'],
    ['Oｇ＇il', 'Ogʻil'],
    ['Zoe\u0308', 'Zoë'],
    // One script per word; different words may use different scripts.
    ['Ali Валиев', 'Ali Валиев'],
  ])('accepts %j as %j', (raw, expected) => {
    expect(nameSchema.parse(raw)).toBe(expected);
  });

  it.each([
    ['A', 'name.too_short'],
    ['', 'name.too_short'],
    ['x'.repeat(101), 'name.too_long'],
    ['Robert); DROP TABLE users;--', 'name.invalid'],
    ['<img src=x onerror=alert(1)>', 'name.invalid'],
    ['Ali2', 'name.invalid'],
    ['Ali_Valiyev', 'name.invalid'],
    ['-Ali', 'name.invalid'],
    ['Ali\u0000Vali', 'name.invalid'],
    ['محمد', 'name.invalid'],
    ['Al' + '\u0301'.repeat(89), 'name.invalid'],
    ["A''''''''b", 'name.invalid'],
    ['Ali--Vali', 'name.invalid'],
    ['Ali - Vali', 'name.invalid'],
    ['A1i Valiyev', 'name.invalid'],
    ['Ali Vali1yev', 'name.invalid'],
    ['Ａ１ｉ Valiyev', 'name.invalid'],
    ['Ali ٣Valiyev', 'name.invalid'],
    ['D\u043Ector House', 'name.invalid'],
    ['Ali Vali\u0443ev', 'name.invalid'],
    ['Анна-Mария', 'name.invalid'],
    ['Ａｌｉ Vаliyev', 'name.invalid'],
  ])('refuses %j with %s', (raw, code) => {
    const r = nameSchema.safeParse(raw);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(code);
  });

  it('is idempotent', () => {
    for (const n of ["O'g'il", 'G`ayrat', 'Oʻgʻil'])
      expect(normalizeName(normalizeName(n))).toBe(normalizeName(n));
  });
});

describe('passwords', () => {
  it('accepts 8 to 128 characters that are not common', () => {
    expect(newPasswordSchema.safeParse('tog‘-yoli-9').success).toBe(true);
    expect(newPasswordSchema.safeParse('a'.repeat(128) + 'x').success).toBe(false);
  });

  it.each([
    ['short1', 'password.too_short'],
    ['x'.repeat(129), 'password.too_long'],
    ['12345678', 'password.common'],
    ['Password123', 'password.common'],
    ['QWERTY123', 'password.common'],
  ])('refuses %j with %s', (raw, code) => {
    const r = newPasswordSchema.safeParse(raw);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(code);
  });

  it('refuses a new password equal to the current one', () => {
    const r = changePasswordInput.safeParse({
      currentPassword: 'Tog-yoli-9x',
      newPassword: 'Tog-yoli-9x',
    });
    expect(r.success).toBe(false);
    expect(toFieldErrors(r.error!.issues)).toEqual({ newPassword: ['password.same_as_current'] });
  });
});

describe('field errors', () => {
  it('name every bad field with a translatable code, and unknown keys are refused', () => {
    const r = registerInput.safeParse({
      phone: 12,
      name: 'A',
      password: 'x',
      locale: 'de',
      role: 'admin',
    });
    expect(r.success).toBe(false);
    const fe = toFieldErrors(r.error!.issues);
    expect(fe.phone).toEqual(['phone.invalid']);
    expect(fe.name).toEqual(['name.too_short']);
    expect(fe.password).toEqual(['password.too_short']);
    expect(fe.locale).toEqual(['locale.invalid']);
    expect(fe['']).toEqual(['invalid']);
  });

  it('reports missing fields as required', () => {
    const r = registerInput.safeParse({});
    const fe = toFieldErrors(r.error!.issues);
    expect(Object.keys(fe).sort()).toEqual(['name', 'password', 'phone']);
  });
});
