import type { Messages } from '../../../i18n/types';

/** Notifications, Uzbek (Latin). */
export const uz: Messages = {
  notifications: {
    title: 'Bildirishnomalar',
    unreadOnly: 'Faqat oʻqilmaganlar',
    none: 'Hozircha bildirishnomalar yoʻq.',
    noneUnread: 'Oʻqilmagan bildirishnomalar yoʻq.',
    markRead: 'Oʻqilgan deb belgilash',
    markAllRead: 'Hammasini oʻqilgan deb belgilash',
    allMarked: 'Barcha bildirishnomalar oʻqilgan deb belgilandi.',
    marked: 'Oʻqilgan deb belgilandi.',
    unread: 'Oʻqilmagan',
    more: 'Yana koʻrsatish',
    kinds: {
      payment_approved: {
        title: 'Toʻlov tasdiqlandi',
        body: '«{{plan}}» tarifi {{date}} gacha faol.',
      },
      payment_rejected: {
        title: 'Toʻlov rad etildi',
        body: 'Sabab: {{reason}}. Chekni qayta yuborishingiz mumkin.',
      },
      subscription_expiring: {
        title: 'Obuna tez orada tugaydi',
        body: 'Obuna {{date}} da tugaydi. Tahlillarni davom ettirish uchun uzaytiring.',
      },
      subscription_expired: {
        title: 'Obuna muddati tugadi',
        body: 'Obuna {{date}} da tugadi. Bemorlar va hisobotlar ochiq; yangi tahlillar uchun toʻlang.',
      },
      subscription_extended: {
        title: 'Obuna uzaytirildi',
        body_one: 'Obuna {{count}} kunga, {{date}} gacha uzaytirildi.',
        body_other: 'Obuna {{count}} kunga, {{date}} gacha uzaytirildi.',
      },
    },
  },
};
