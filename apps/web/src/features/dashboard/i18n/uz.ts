import type { Messages } from '../../../i18n/types';

/** Shifokorning bosh sahifasi, oʻzbekcha. */
export const uz: Messages = {
  dashboard: {
    title: 'Bosh sahifa',
    greeting: 'Xush kelibsiz, {{name}}!',
    subscriptionTitle: 'Obuna',
    manageSubscription: 'Tariflar va toʻlov',
    plan: 'Tarif: {{plan}}',
    trialDaysLeft_one: 'Sinov muddati: {{count}} kun qoldi',
    trialDaysLeft_other: 'Sinov muddati: {{count}} kun qoldi',
    paidDaysLeft_one: 'Obuna faol: {{count}} kun qoldi',
    paidDaysLeft_other: 'Obuna faol: {{count}} kun qoldi',
    endsOn: 'Tugash sanasi: {{date}}.',
    trialEnded: 'Sinov muddatingiz tugadi.',
    expired: 'Obunangiz muddati tugagan. Tahlillar yaratishda davom etish uchun uni yangilang.',
    canceled: 'Obunangiz bekor qilingan. Tahlillar yaratishda davom etish uchun uni yangilang.',
    noSubscription: 'Sizda hali obuna yoʻq.',
    limit_one: 'Oyiga {{count}} tagacha tahlil.',
    limit_other: 'Oyiga {{count}} tagacha tahlil.',
    unlimited: 'Cheklanmagan tahlillar.',
    statusLabel: 'Holati',
    status: {
      trialing: 'Sinov',
      active: 'Faol',
      expired: 'Muddati tugagan',
      canceled: 'Bekor qilingan',
    },
  },
};
