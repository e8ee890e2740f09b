import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createAdminInput } from '../src/admin';
import {
  authOutput,
  changePasswordInput,
  idInput,
  loginInput,
  meOutput,
  okOutput,
  refreshOutput,
  registerInput,
  sessionOutput,
  updateProfileInput,
  userOutput,
} from '../src/auth';
import { issueToFieldCode, toFieldErrors } from '../src/errors';
import { cronJobPayload } from '../src/jobs';
import { defaultLocale, localeSchema } from '../src/locale';
import { maskPhone, normalizeUzPhone, phoneSchema } from '../src/phone';

/** Field errors of a refused input, as the client receives them. */
const fieldErrors = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input);
  if (r.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return toFieldErrors(r.error.issues);
};

const PHONE = '+998901234567';
const PASSWORD = 'Tog-yoli-2026';
const USER_ID = '0b7f6c1e-2a57-4c8e-9d0a-3f1e2b4c5d6e';

describe('toFieldErrors', () => {
  it('maps issues zod raises itself to generic codes, and keeps schema codes', () => {
    const schema = z.strictObject({
      a: z.string(),
      c: z.string().min(3),
      d: z.string().max(1),
      e: z.email(),
      f: z.string().min(3, { message: 'name.too_short' }),
    });
    expect(fieldErrors(schema, { c: 'x', d: 'xy', e: 'nope', f: 'x', extra: true })).toEqual({
      a: ['required'],
      c: ['too_short'],
      d: ['too_long'],
      e: ['invalid'],
      f: ['name.too_short'],
      '': ['invalid'],
    });
  });

  it('tells a missing value from one of the wrong type when the issue carries the input', () => {
    const issue = (input: unknown) => ({
      code: 'invalid_type' as const,
      expected: 'string' as const,
      message: 'Invalid input',
      path: ['a'],
      input,
    });
    expect(issueToFieldCode(issue(undefined))).toBe('required');
    expect(issueToFieldCode(issue(5))).toBe('invalid_type');
  });

  it('joins nested paths with dots and keeps the root as ""', () => {
    const nested = z.object({ user: z.object({ tags: z.array(z.string().max(2)) }) });
    expect(fieldErrors(nested, { user: { tags: ['ok', 'long'] } })).toEqual({
      'user.tags.1': ['too_long'],
    });
    expect(
      fieldErrors(
        nested.refine(() => false),
        { user: { tags: [] } },
      ),
    ).toEqual({
      '': ['invalid'],
    });
  });

  it('keeps each code once and at most five codes per field', () => {
    const codes = ['a', 'b', 'c', 'd', 'e', 'f'].map((p) => ({
      code: 'custom' as const,
      message: 'x',
      path: ['field'],
      input: p,
    }));
    const distinct = [
      'required',
      'invalid',
      'too_short',
      'too_long',
      'phone.invalid',
      'name.invalid',
    ].map((message) => ({ code: 'custom' as const, message, path: ['field'], input: 1 }));
    expect(toFieldErrors(codes)).toEqual({ field: ['invalid'] });
    expect(toFieldErrors(distinct)).toEqual({
      field: ['required', 'invalid', 'too_short', 'too_long', 'phone.invalid'],
    });
    expect(issueToFieldCode({ code: 'custom', message: 'id.invalid', path: [], input: 1 })).toBe(
      'id.invalid',
    );
  });
});

describe('phone', () => {
  it('accepts a number padded with spaces up to 32 characters, not 33', () => {
    const padded = (n: number) => `${PHONE}${' '.repeat(n - PHONE.length)}`;
    expect(normalizeUzPhone(padded(32))).toBe(PHONE);
    expect(normalizeUzPhone(padded(33))).toBeNull();
    expect(phoneSchema.parse(padded(32))).toBe(PHONE);
    expect(phoneSchema.safeParse(padded(33)).error?.issues.map((i) => i.message)).toEqual([
      'phone.invalid',
    ]);
  });

  it('refuses letters anywhere, also before a valid number', () => {
    for (const raw of ['abc 998901234567', 'tel:+998901234567', '+998901234567 ext', 'x'])
      expect(normalizeUzPhone(raw)).toBeNull();
    // @ts-expect-error -- hostile input on purpose
    expect(normalizeUzPhone(998901234567)).toBeNull();
  });

  it('parses through the schema to E.164 and refuses with phone.invalid only', () => {
    expect(phoneSchema.parse('90 123 45 67')).toBe(PHONE);
    for (const raw of ['90 123', 12, '9'.repeat(40)])
      expect(phoneSchema.safeParse(raw).error?.issues.map((i) => i.message)).toEqual([
        'phone.invalid',
      ]);
  });

  it('masks only a whole Uzbek E.164 number', () => {
    expect(maskPhone(PHONE)).toBe('+998 90 ***-**-67');
    for (const other of ['+9989012345678', 'x+998901234567', '+79001234567', ''])
      expect(maskPhone(other)).toBe('***');
  });
});

describe('auth inputs', () => {
  it('register: Uzbek is the default language, and nothing beyond the contract is taken', () => {
    expect(defaultLocale).toBe('uz');
    expect(localeSchema.parse('ru')).toBe('ru');
    expect(registerInput.parse({ phone: PHONE, name: 'Ali Valiyev', password: PASSWORD })).toEqual({
      phone: PHONE,
      name: 'Ali Valiyev',
      password: PASSWORD,
      locale: 'uz',
    });
    expect(
      fieldErrors(registerInput, {
        phone: PHONE,
        name: 'Ali Valiyev',
        password: PASSWORD,
        locale: 'de',
        role: 'admin',
      }),
    ).toEqual({ locale: ['locale.invalid'], '': ['invalid'] });
  });

  it('login: phone and password are required, extra keys refused', () => {
    expect(loginInput.parse({ phone: '901234567', password: 'x' })).toEqual({
      phone: PHONE,
      password: 'x',
    });
    expect(fieldErrors(loginInput, {})).toEqual({
      phone: ['phone.invalid'],
      password: ['password.too_short'],
    });
    expect(fieldErrors(loginInput, { phone: PHONE, password: 'x', admin: true })).toEqual({
      '': ['invalid'],
    });
  });

  it('change password: a new password equal to the current one is refused on newPassword', () => {
    expect(
      changePasswordInput.parse({ currentPassword: PASSWORD, newPassword: 'Yangi-parol-77' }),
    ).toEqual({ currentPassword: PASSWORD, newPassword: 'Yangi-parol-77' });
    expect(
      fieldErrors(changePasswordInput, { currentPassword: PASSWORD, newPassword: PASSWORD }),
    ).toEqual({ newPassword: ['password.same_as_current'] });
    expect(
      fieldErrors(changePasswordInput, {
        currentPassword: PASSWORD,
        newPassword: 'Yangi-parol-77',
        userId: USER_ID,
      }),
    ).toEqual({ '': ['invalid'] });
  });

  it('profile: every field optional, each still checked, extra keys refused', () => {
    expect(updateProfileInput.parse({})).toEqual({});
    expect(updateProfileInput.parse({ locale: 'en' })).toEqual({ locale: 'en' });
    expect(fieldErrors(updateProfileInput, { name: '<b>x</b>', phone: PHONE })).toEqual({
      name: ['name.invalid'],
      '': ['invalid'],
    });
  });

  it('id: a UUID and nothing else', () => {
    expect(idInput.parse({ id: USER_ID })).toEqual({ id: USER_ID });
    expect(fieldErrors(idInput, { id: 'not-a-uuid' })).toEqual({ id: ['id.invalid'] });
    expect(fieldErrors(idInput, { id: USER_ID, userId: USER_ID })).toEqual({ '': ['invalid'] });
  });

  it('create admin: phone, name and a strong password, nothing else', () => {
    expect(
      createAdminInput.parse({ phone: '90 123 45 67', name: 'Aziz Rahimov', password: PASSWORD }),
    ).toEqual({ phone: PHONE, name: 'Aziz Rahimov', password: PASSWORD });
    expect(
      fieldErrors(createAdminInput, {
        phone: PHONE,
        name: 'Aziz Rahimov',
        password: '12345678',
        role: 'doctor',
      }),
    ).toEqual({ password: ['password.common'], '': ['invalid'] });
  });
});

describe('outputs refuse what the contract does not promise', () => {
  const user = {
    id: USER_ID,
    phone: PHONE,
    name: 'Ali Valiyev',
    role: 'doctor',
    locale: 'uz',
    email: null,
  };
  const auth = { accessToken: 'a.b.c', accessTokenExpiresAt: new Date(), user };

  it.each<[string, z.ZodType, unknown, unknown]>([
    ['user', userOutput, user, { ...user, role: 'root' }],
    ['auth', authOutput, auth, { ...auth, user: { ...user, id: 'x' } }],
    [
      'refresh',
      refreshOutput,
      { session: null, signedOutReason: 'account_disabled' },
      { session: null, signedOutReason: 'stolen' },
    ],
    [
      'me',
      meOutput,
      {
        user,
        workspace: { id: USER_ID, name: 'Ali Valiyev', role: 'owner' },
        subscription: {
          status: 'trialing',
          planCode: 'trial',
          planNames: { uz: 'Sinov', ru: 'Пробный', en: 'Trial' },
          trialEndsAt: new Date(),
          currentPeriodEnd: null,
          daysLeft: 7,
          maxAnalysesPerMonth: 20,
        },
      },
      {
        user,
        workspace: null,
        subscription: {
          status: 'trialing',
          planCode: 'trial',
          planNames: { uz: 'Sinov' },
          trialEndsAt: null,
          currentPeriodEnd: null,
          daysLeft: -1,
          maxAnalysesPerMonth: null,
        },
      },
    ],
    [
      'session',
      sessionOutput,
      {
        id: USER_ID,
        startedAt: new Date(),
        lastUsedAt: new Date(),
        expiresAt: new Date(),
        userAgent: null,
        ip: null,
        current: true,
      },
      { id: USER_ID, startedAt: new Date(), current: 'yes' },
    ],
    ['ok', okOutput, { ok: true }, { ok: false }],
    ['cron payload', cronJobPayload, { _cron: { ts: '2026-01-01T00:00:00Z' } }, { _cron: {} }],
  ])('%s', (_label, schema, good, bad) => {
    expect(schema.safeParse(good).success).toBe(true);
    expect(schema.safeParse(bad).success).toBe(false);
  });

  it('me: the plan name in every language and the workspace role are required', () => {
    const me = {
      user,
      workspace: { id: USER_ID, name: 'Ali Valiyev', role: 'owner' },
      subscription: {
        status: 'active',
        planCode: 'doctor_monthly',
        planNames: { uz: 'Oylik', ru: 'Месячный', en: 'Monthly' },
        trialEndsAt: null,
        currentPeriodEnd: new Date(),
        daysLeft: 30,
        maxAnalysesPerMonth: null,
      },
    };
    expect(meOutput.parse(me)).toEqual(me);
    const { ru: _ru, ...twoNames } = me.subscription.planNames;
    expect(
      meOutput.safeParse({ ...me, subscription: { ...me.subscription, planNames: twoNames } })
        .success,
    ).toBe(false);
    const { role: _role, ...noRole } = me.workspace;
    expect(meOutput.safeParse({ ...me, workspace: noRole }).success).toBe(false);
  });

  it('a cron payload may be empty, as for a job enqueued by hand', () => {
    expect(cronJobPayload.parse({})).toEqual({});
    expect(cronJobPayload.safeParse({ _cron: { ts: 1 } }).success).toBe(false);
  });
});
