import type { Messages } from '../../../i18n/types';

/** Главная страница врача, русский. */
export const ru: Messages = {
  dashboard: {
    title: 'Главная',
    greeting: 'Добро пожаловать, {{name}}!',
    subscriptionTitle: 'Подписка',
    manageSubscription: 'Тарифы и оплата',
    plan: 'Тариф: {{plan}}',
    trialDaysLeft_one: 'Пробный период: остался {{count}} день',
    trialDaysLeft_few: 'Пробный период: осталось {{count}} дня',
    trialDaysLeft_many: 'Пробный период: осталось {{count}} дней',
    trialDaysLeft_other: 'Пробный период: осталось {{count}} дня',
    paidDaysLeft_one: 'Подписка активна: остался {{count}} день',
    paidDaysLeft_few: 'Подписка активна: осталось {{count}} дня',
    paidDaysLeft_many: 'Подписка активна: осталось {{count}} дней',
    paidDaysLeft_other: 'Подписка активна: осталось {{count}} дня',
    endsOn: 'Дата окончания: {{date}}.',
    trialEnded: 'Пробный период закончился.',
    expired: 'Срок подписки истёк. Продлите её, чтобы продолжать создавать анализы.',
    canceled: 'Подписка отменена. Продлите её, чтобы продолжать создавать анализы.',
    noSubscription: 'У вас пока нет подписки.',
    limit_one: 'До {{count}} анализа в месяц.',
    limit_few: 'До {{count}} анализов в месяц.',
    limit_many: 'До {{count}} анализов в месяц.',
    limit_other: 'До {{count}} анализа в месяц.',
    unlimited: 'Без ограничения анализов.',
    statusLabel: 'Статус',
    status: {
      trialing: 'Пробный период',
      active: 'Активна',
      expired: 'Истекла',
      canceled: 'Отменена',
    },
  },
};
