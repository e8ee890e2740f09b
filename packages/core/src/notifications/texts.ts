import type {
  Locale,
  LocalizedText,
  NotificationKind,
  NotificationMessage,
  NotificationParams,
} from '@medora/schema';

/** Dates in notifications are the doctor's wall clock: Uzbekistan, whatever the server's zone. */
export const NOTIFICATION_TIME_ZONE = 'Asia/Tashkent';

const intlLocale: Record<Locale, string> = { uz: 'uz-Latn-UZ', ru: 'ru-RU', en: 'en-GB' };

/** A notification worded for one user: an e-mail (subject and body) and a short SMS. */
export interface RenderedNotification {
  subject: string;
  body: string;
  sms: string;
}

/** What the words need beyond the params: the plan's name per locale when a plan is named. */
export interface RenderContext {
  planNames?: LocalizedText | null;
}

interface Helpers {
  /** Long date and time, e.g. "5 December 2026 at 23:30". */
  when(iso: string): string;
  /** Short date and time for SMS, e.g. "05.12.2026 23:30". */
  short(iso: string): string;
  /** Day and month, e.g. "5 December" ("5 декабря", "5-dekabr"). */
  day(iso: string): string;
  /** Time of day, e.g. "23:30". */
  time(iso: string): string;
  plan(code: string): string;
}

type Words<K extends NotificationKind> = (
  p: NotificationParams<K>,
  h: Helpers,
) => RenderedNotification;
type LocaleTexts = { [K in NotificationKind]: Words<K> };

const SIGNATURE = '\n\n— MedoraAI';

// Every kind in every locale: the type makes a missing one a compile error, the test checks that
// each renders non-empty text.
const texts: Record<Locale, LocaleTexts> = {
  uz: {
    payment_approved: (p, h) => ({
      subject: 'Toʻlov tasdiqlandi',
      body: `Toʻlovingiz tasdiqlandi. «${h.plan(p.planCode)}» tarifi ${h.when(p.periodEnd)} gacha faol.`,
      sms: `MedoraAI: to'lov tasdiqlandi, tarif ${h.short(p.periodEnd)} gacha faol.`,
    }),
    payment_rejected: (p) => ({
      subject: 'Toʻlov rad etildi',
      body: `Toʻlov cheki rad etildi. Sabab: ${p.reason}\n\nChekni qayta yuborishingiz mumkin.`,
      sms: `MedoraAI: to'lov cheki rad etildi. Sabab: ${p.reason}`,
    }),
    // The warning goes out 3 (or, caught up, 2) days before the end day, and the last one the day
    // before or on the end day itself: the words name the date (and time), never "tomorrow".
    subscription_expiring: (p, h) => ({
      subject:
        p.daysLeft === 1
          ? `Obuna ${h.day(p.endsAt)} kuni soat ${h.time(p.endsAt)} da tugaydi`
          : `Obuna ${h.day(p.endsAt)} kuni tugaydi`,
      body: `Obunangiz ${h.when(p.endsAt)} da tugaydi. Tahlillarni davom ettirish uchun obunani uzaytiring.`,
      sms: `MedoraAI: obuna ${h.short(p.endsAt)} da tugaydi. Uzaytirishni unutmang.`,
    }),
    subscription_expired: (p, h) => ({
      subject: 'Obuna muddati tugadi',
      body: `Obunangiz ${h.when(p.endedAt)} da tugadi. Bemorlar va hisobotlar ochiq qoladi; yangi tahlillar uchun obunani toʻlang.`,
      sms: `MedoraAI: obuna muddati tugadi. Yangi tahlillar uchun to'lang.`,
    }),
    subscription_extended: (p, h) => ({
      subject: 'Obuna uzaytirildi',
      body: `Obunangiz ${p.days} kunga uzaytirildi, endi ${h.when(p.endsAt)} gacha faol.`,
      sms: `MedoraAI: obuna ${p.days} kunga uzaytirildi, ${h.short(p.endsAt)} gacha.`,
    }),
  },
  ru: {
    payment_approved: (p, h) => ({
      subject: 'Оплата подтверждена',
      body: `Ваша оплата подтверждена. Тариф «${h.plan(p.planCode)}» действует до ${h.when(p.periodEnd)}.`,
      sms: `MedoraAI: оплата подтверждена, тариф до ${h.short(p.periodEnd)}.`,
    }),
    payment_rejected: (p) => ({
      subject: 'Оплата отклонена',
      body: `Чек об оплате отклонён. Причина: ${p.reason}\n\nВы можете отправить чек ещё раз.`,
      sms: `MedoraAI: чек отклонён. Причина: ${p.reason}`,
    }),
    subscription_expiring: (p, h) => ({
      subject:
        p.daysLeft === 1
          ? `Подписка заканчивается ${h.day(p.endsAt)} в ${h.time(p.endsAt)}`
          : `Подписка заканчивается ${h.day(p.endsAt)}`,
      body: `Ваша подписка заканчивается ${h.when(p.endsAt)}. Продлите её, чтобы продолжать анализы.`,
      sms: `MedoraAI: подписка до ${h.short(p.endsAt)}. Не забудьте продлить.`,
    }),
    subscription_expired: (p, h) => ({
      subject: 'Подписка закончилась',
      body: `Ваша подписка закончилась ${h.when(p.endedAt)}. Пациенты и отчёты остаются доступны; для новых анализов оплатите подписку.`,
      sms: `MedoraAI: подписка закончилась. Оплатите для новых анализов.`,
    }),
    subscription_extended: (p, h) => ({
      subject: 'Подписка продлена',
      body: `Ваша подписка продлена на ${p.days} дн. и действует до ${h.when(p.endsAt)}.`,
      sms: `MedoraAI: подписка продлена на ${p.days} дн., до ${h.short(p.endsAt)}.`,
    }),
  },
  en: {
    payment_approved: (p, h) => ({
      subject: 'Payment approved',
      body: `Your payment has been approved. The “${h.plan(p.planCode)}” plan is active until ${h.when(p.periodEnd)}.`,
      sms: `MedoraAI: payment approved, plan active until ${h.short(p.periodEnd)}.`,
    }),
    payment_rejected: (p) => ({
      subject: 'Payment rejected',
      body: `Your payment receipt was rejected. Reason: ${p.reason}\n\nYou can submit a receipt again.`,
      sms: `MedoraAI: payment receipt rejected. Reason: ${p.reason}`,
    }),
    subscription_expiring: (p, h) => ({
      subject:
        p.daysLeft === 1
          ? `Your subscription ends on ${h.day(p.endsAt)} at ${h.time(p.endsAt)}`
          : `Your subscription ends on ${h.day(p.endsAt)}`,
      body: `Your subscription ends on ${h.when(p.endsAt)}. Renew it to keep running analyses.`,
      sms: `MedoraAI: subscription ends ${h.short(p.endsAt)}. Remember to renew.`,
    }),
    subscription_expired: (p, h) => ({
      subject: 'Your subscription has ended',
      body: `Your subscription ended on ${h.when(p.endedAt)}. Patients and reports stay available; pay to run new analyses.`,
      sms: `MedoraAI: subscription ended. Pay to run new analyses.`,
    }),
    subscription_extended: (p, h) => ({
      subject: 'Subscription extended',
      body: `Your subscription has been extended by ${p.days} days and is active until ${h.when(p.endsAt)}.`,
      sms: `MedoraAI: subscription extended by ${p.days} days, until ${h.short(p.endsAt)}.`,
    }),
  },
};

// Made once per locale and kept: each Intl.DateTimeFormat holds tens of KB of ICU memory outside
// the V8 heap that the garbage collector does not count, and an expiry run words thousands of
// notifications (see todayInTashkent in @medora/schema).
const formatters = new Map<Locale, ReturnType<typeof makeFormatters>>();

function makeFormatters(locale: Locale) {
  const long = new Intl.DateTimeFormat(intlLocale[locale], {
    timeZone: NOTIFICATION_TIME_ZONE,
    dateStyle: 'long',
    timeStyle: 'short',
  });
  const short = new Intl.DateTimeFormat(intlLocale[locale], {
    timeZone: NOTIFICATION_TIME_ZONE,
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const day = new Intl.DateTimeFormat(intlLocale[locale], {
    timeZone: NOTIFICATION_TIME_ZONE,
    day: 'numeric',
    month: 'long',
  });
  const time = new Intl.DateTimeFormat(intlLocale[locale], {
    timeZone: NOTIFICATION_TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return { long, short, day, time };
}

function helpers(locale: Locale, ctx: RenderContext): Helpers {
  let made = formatters.get(locale);
  if (!made) formatters.set(locale, (made = makeFormatters(locale)));
  const { long, short, day, time } = made;
  return {
    when: (iso) => long.format(new Date(iso)),
    // One separator in every locale, so an SMS stays short and unambiguous.
    short: (iso) => {
      const parts = Object.fromEntries(
        short.formatToParts(new Date(iso)).map((x) => [x.type, x.value]),
      );
      return `${parts.day}.${parts.month}.${parts.year} ${parts.hour}:${parts.minute}`;
    },
    day: (iso) => day.format(new Date(iso)),
    time: (iso) => time.format(new Date(iso)),
    plan: (code) => ctx.planNames?.[locale] ?? code,
  };
}

/** Words a notification for `locale` from its kind and (already checked) params. */
export function renderNotification(
  message: NotificationMessage,
  locale: Locale,
  ctx: RenderContext = {},
): RenderedNotification {
  const words = texts[locale][message.kind] as Words<NotificationKind>;
  const out = words(message.params, helpers(locale, ctx));
  return { ...out, body: out.body + SIGNATURE };
}
