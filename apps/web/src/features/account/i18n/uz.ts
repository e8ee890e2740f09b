import type { Messages } from '../../../i18n/types';

/** Profil va seanslar, oʻzbekcha. */
export const uz: Messages = {
  profile: {
    title: 'Profil',
    phone: 'Telefon: {{phone}}',
    personalTitle: 'Shaxsiy maʼlumotlar',
    personalSubmit: 'Oʻzgarishlarni saqlash',
    personalSaved: 'Oʻzgarishlar saqlandi.',
    emailHint:
      'Ixtiyoriy. Bildirishnomalar (toʻlovlar, obuna) shu manzilga ham yuboriladi. Oʻchirish uchun boʻsh qoldiring.',
    passwordTitle: 'Parolni oʻzgartirish',
    passwordSubmit: 'Parolni oʻzgartirish',
    passwordChanged: 'Parol oʻzgartirildi. Boshqa qurilmalardagi seanslar yakunlandi.',
  },
  sessions: {
    title: 'Faol seanslar',
    intro: 'Tizimga kirgan qurilmalaringiz. Tanimagan seanslaringizni yakunlang.',
    caption: 'Faol seanslaringiz',
    device: 'Qurilma',
    ip: 'IP manzil',
    started: 'Kirilgan vaqt',
    lastUsed: 'Oxirgi faollik',
    actions: 'Amallar',
    thisDevice: 'Shu qurilma',
    end: 'Seansni yakunlash',
    ending: 'Yakunlanmoqda…',
    ended: 'Seans yakunlandi: {{device}}.',
    confirmTitle: 'Bu seans yakunlansinmi?',
    confirmBody:
      'Qurilma: {{device}} (IP {{ip}}, oxirgi faollik {{lastUsed}}). U tizimdan chiqariladi va qayta kirish uchun parol kerak boʻladi.',
    confirm: 'Seansni yakunlash',
    cancel: 'Bekor qilish',
    noOthers: 'Boshqa faol seanslar yoʻq.',
    unknownDevice: 'Nomaʼlum qurilma',
    unknown: 'nomaʼlum',
    deviceOn: '{{browser}}, {{os}}',
    deviceOnModel: '{{browser}}, {{model}} ({{os}})',
  },
  deviceData: {
    title: 'Bu qurilmadagi maʼlumotlar',
    label:
      'Maʼlumotlarni internetsiz ishlash uchun bu qurilmada saqlash — faqat qurilma sizniki boʻlsa',
    hint: 'Siz ochgan bemorlar 24 soatgacha internetsiz ham koʻrinadi va tizimdan chiqqaningizda oʻchiriladi. Umumiy yoki klinika kompyuterida yoqmang.',
    kept: 'Siz ochgan bemorlar bu qurilmada 24 soatgacha saqlanadi.',
    removed: 'Saqlangan bemor maʼlumotlari bu qurilmadan oʻchirildi.',
  },
};
