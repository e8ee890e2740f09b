import { inspect } from 'node:util';
import {
  locales,
  notificationKinds,
  notificationParams,
  type NotificationMessage,
} from '@medora/schema';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { renderNotification } from '../src/notifications/texts';

/** One valid params object per kind (the schema's own example of what callers pass). */
const samples: {
  [K in NotificationMessage['kind']]: Extract<NotificationMessage, { kind: K }>['params'];
} = {
  payment_approved: { planCode: 'doctor_monthly', periodEnd: '2027-01-05T19:30:00.000Z' },
  payment_rejected: { reason: 'Chek o‘qilmaydi' },
  subscription_expiring: { endsAt: '2026-12-05T18:30:00+00:00', daysLeft: 3 },
  subscription_expired: { endedAt: '2026-12-02T11:00:00.000Z' },
  subscription_extended: { days: 14, endsAt: '2026-12-20T00:00:00.000Z' },
};

describe('notification texts', () => {
  it('has a subject, body and SMS for every kind in every locale, and they differ by locale', () => {
    for (const kind of notificationKinds) {
      expect(notificationParams[kind].safeParse(samples[kind]).success).toBe(true);
      const subjects = new Set<string>();
      for (const locale of locales) {
        const text = renderNotification(
          { kind, params: samples[kind] } as NotificationMessage,
          locale,
          { planNames: { uz: 'Shifokor (oylik)', ru: 'Врач (месяц)', en: 'Doctor (monthly)' } },
        );
        expect(text.subject.trim(), `${kind}/${locale}`).not.toBe('');
        expect(text.body.trim()).not.toBe('');
        expect(text.sms.trim()).not.toBe('');
        // Nothing left unfilled.
        for (const part of [text.subject, text.body, text.sms])
          expect(part).not.toMatch(/undefined|NaN|Invalid Date|\[object/);
        subjects.add(text.subject);
      }
      expect(subjects.size, kind).toBe(locales.length);
    }
  });

  it('formats dates on the Tashkent clock in the locale, and names the plan', () => {
    const msg = { kind: 'payment_approved', params: samples.payment_approved } as const;
    expect(renderNotification(msg, 'en', {}).body).toContain(
      '“doctor_monthly” plan is active until 6 January 2027 at 00:30',
    );
    expect(
      renderNotification(msg, 'uz', { planNames: { uz: 'Shifokor', ru: 'Врач', en: 'Doctor' } })
        .sms,
    ).toBe("MedoraAI: to'lov tasdiqlandi, tarif 06.01.2027 00:30 gacha faol.");
    const expiring = {
      kind: 'subscription_expiring',
      params: { endsAt: '2026-12-05T18:30:00Z', daysLeft: 1 },
    } as const;
    expect(renderNotification(expiring, 'ru').subject).toBe(
      'Подписка заканчивается 5 декабря в 23:30',
    );
    expect(renderNotification(expiring, 'ru').body).toContain('5 декабря 2026 г. в 23:30');
  });

  it('words the expiry warnings with the date, true on every day they can go out', () => {
    // The 1-day warning goes out the day before the end day or on it (a missed run); the 3-day one
    // 3 or 2 days before. 9 December, 14:00 in Tashkent:
    const endsAt = '2026-12-09T09:00:00.000Z';
    const subject = (daysLeft: 3 | 1, locale: (typeof locales)[number]) =>
      renderNotification({ kind: 'subscription_expiring', params: { endsAt, daysLeft } }, locale)
        .subject;
    expect(subject(1, 'en')).toBe('Your subscription ends on 9 December at 14:00');
    expect(subject(1, 'ru')).toBe('Подписка заканчивается 9 декабря в 14:00');
    expect(subject(1, 'uz')).toBe('Obuna 9-dekabr kuni soat 14:00 da tugaydi');
    expect(subject(3, 'en')).toBe('Your subscription ends on 9 December');
    expect(subject(3, 'ru')).toBe('Подписка заканчивается 9 декабря');
    expect(subject(3, 'uz')).toBe('Obuna 9-dekabr kuni tugaydi');
    for (const locale of locales)
      for (const daysLeft of [3, 1] as const) {
        const text = renderNotification(
          { kind: 'subscription_expiring', params: { endsAt, daysLeft } },
          locale,
        );
        // No relative day ("tomorrow", "in 3 days") that a late run or an evening end makes false.
        for (const part of [text.subject, text.body, text.sms])
          expect(part, `${locale}/${daysLeft}`).not.toMatch(
            /tomorrow|in 3 days|ertaga|3 kun|завтра|через 3/i,
          );
        expect(text.body).toMatch(/9/);
        expect(text.sms).toContain('09.12.2026 14:00');
      }
  });

  it('refuses params a kind cannot word', () => {
    expect(
      notificationParams.subscription_expiring.safeParse({ endsAt: 'soon', daysLeft: 3 }).success,
    ).toBe(false);
    expect(
      notificationParams.subscription_expiring.safeParse({
        endsAt: '2026-12-05T18:30:00Z',
        daysLeft: 2,
      }).success,
    ).toBe(false);
    expect(notificationParams.payment_rejected.safeParse({ reason: '' }).success).toBe(false);
  });
});

describe('notification channel configuration', () => {
  const base = { NODE_ENV: 'test', TOKEN_SECRET: 'x'.repeat(40) };

  it('is off unless configured, and never shows its secrets when printed', () => {
    expect(loadConfig(base).notifications).toEqual({ smtp: null, eskiz: null });
    const config = loadConfig({
      ...base,
      SMTP_URL: 'smtp://medora:smtp-secret@127.0.0.1:2525',
      SMTP_FROM: 'MedoraAI <noreply@example.uz>',
      ESKIZ_EMAIL: 'medora@example.uz',
      ESKIZ_PASSWORD: 'eskiz-secret',
    });
    expect(config.notifications.smtp?.url).toBe('smtp://medora:smtp-secret@127.0.0.1:2525');
    expect(config.notifications.eskiz).toMatchObject({
      baseUrl: 'https://notify.eskiz.uz/api',
      from: '4546',
      password: 'eskiz-secret',
    });
    for (const printed of [JSON.stringify(config), inspect(config, { depth: 10 })]) {
      expect(printed).not.toContain('smtp-secret');
      expect(printed).not.toContain('eskiz-secret');
    }
  });

  it('refuses half a configuration', () => {
    expect(() => loadConfig({ ...base, SMTP_URL: 'smtp://127.0.0.1:25' })).toThrow(/SMTP_FROM/);
    expect(() => loadConfig({ ...base, ESKIZ_EMAIL: 'a@b.uz' })).toThrow(/ESKIZ_PASSWORD/);
  });
});
