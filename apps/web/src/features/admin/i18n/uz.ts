import type { Messages } from '../../../i18n/types';

/** Administrator sahifasi, oʻzbekcha. */
export const uz: Messages = {
  admin: {
    title: 'Boshqaruv',
    greeting: 'Siz administrator sifatida kirdingiz: {{name}}',
    intro:
      'Administrator paneli — toʻlov kvitansiyalarini tasdiqlash, tariflar va foydalanuvchilarni boshqarish — ishlab chiqilmoqda. U tayyor boʻlgunicha bu yerda qiladigan ish yoʻq.',
    profileHint: 'Ism, til va parolni profil sahifasida oʻzgartirishingiz mumkin.',
  },
};
