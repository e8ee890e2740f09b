import type { Messages } from '../../../i18n/types';

/** Notifications, Russian. */
export const ru: Messages = {
  notifications: {
    title: 'Уведомления',
    unreadOnly: 'Только непрочитанные',
    none: 'Уведомлений пока нет.',
    noneUnread: 'Непрочитанных уведомлений нет.',
    markRead: 'Отметить прочитанным',
    markAllRead: 'Отметить все прочитанными',
    allMarked: 'Все уведомления отмечены прочитанными.',
    marked: 'Отмечено прочитанным.',
    unread: 'Не прочитано',
    more: 'Показать ещё',
    kinds: {
      payment_approved: {
        title: 'Оплата подтверждена',
        body: 'Тариф «{{plan}}» действует до {{date}}.',
      },
      payment_rejected: {
        title: 'Оплата отклонена',
        body: 'Причина: {{reason}}. Вы можете отправить чек ещё раз.',
      },
      subscription_expiring: {
        title: 'Подписка скоро закончится',
        body: 'Подписка заканчивается {{date}}. Продлите её, чтобы продолжать анализы.',
      },
      subscription_expired: {
        title: 'Подписка закончилась',
        body: 'Она закончилась {{date}}. Пациенты и отчёты доступны; для новых анализов оплатите подписку.',
      },
      subscription_extended: {
        title: 'Подписка продлена',
        body_one: 'Продлена на {{count}} день, до {{date}}.',
        body_few: 'Продлена на {{count}} дня, до {{date}}.',
        body_many: 'Продлена на {{count}} дней, до {{date}}.',
        body_other: 'Продлена на {{count}} дня, до {{date}}.',
      },
    },
  },
};
