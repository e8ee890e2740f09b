import type { Messages } from '../../../i18n/types';

/** Kirish va roʻyxatdan oʻtish, oʻzbekcha. */
export const uz: Messages = {
  register: {
    title: 'Roʻyxatdan oʻtish',
    intro: '7 kunlik bepul sinov muddatini boshlang. Karta talab qilinmaydi.',
    submit: 'Roʻyxatdan oʻtish',
    submitting: 'Hisob yaratilmoqda…',
    haveAccount: 'Hisobingiz bormi?',
    draftNote: 'Kiritganlaringiz (paroldan tashqari) yakunlaguningizcha shu qurilmada saqlanadi.',
  },
  login: {
    title: 'Kirish',
    submit: 'Kirish',
    submitting: 'Kirilmoqda…',
    noAccount: 'Hisobingiz yoʻqmi?',
    attemptsRemaining_zero: 'Urinishlar qolmadi: kirish kamida 15 daqiqaga bloklandi.',
    attemptsRemaining_one: '15 daqiqalik bloklashgacha {{count}} ta urinish qoldi.',
    attemptsRemaining_other: '15 daqiqalik bloklashgacha {{count}} ta urinish qoldi.',
  },
  secondFactor: {
    codeTitle: 'Autentifikator kodini kiriting',
    codeIntro:
      'Autentifikator ilovasini oching va MedoraAI uchun koʻrsatilgan 6 xonali kodni kiriting.',
    codeLabel: 'Kod',
    codeHint: '6 ta raqam. Telefoningizni yoʻqotdingizmi? Zaxira kodlaringizdan birini kiriting.',
    verify: 'Tasdiqlash',
    verifying: 'Tekshirilmoqda…',
    restart: 'Parol bilan qaytadan boshlash',
    enrolTitle: 'Autentifikatorni sozlang',
    enrolIntro:
      'Administratorlar har bir kirishni kod bilan tasdiqlaydi. Ushbu QR kodni autentifikator ilovasi (masalan, Google Authenticator yoki Aegis) bilan skanerlang yoki quyidagi kalitni unga kiriting. U faqat hozir koʻrsatiladi.',
    qrAlt: 'MedoraAI ni autentifikator ilovasiga qoʻshish uchun QR kod',
    secretLabel: 'Kalit:',
    enrolCodeHint:
      'Sozlash ishlashini tekshirish uchun ilova hozir koʻrsatayotgan 6 xonali kodni kiriting.',
    enrolConfirm: 'Tasdiqlash va kirish',
    recoveryTitle: 'Zaxira kodlaringiz',
    recoveryIntro:
      'Autentifikatorni yoʻqotsangiz, har bir kod bir marta kirish imkonini beradi. Ularni ushbu kompyuterdan tashqarida, xavfsiz joyda saqlang: ular faqat hozir koʻrsatiladi.',
    copy: 'Nusxalash',
    copied: 'Nusxalandi.',
    download: 'Fayl sifatida yuklab olish',
    continue: 'Saqlab oldim — davom etish',
  },
  ownDevice: {
    label:
      'Maʼlumotlarni internetsiz ishlash uchun bu qurilmada saqlash — faqat qurilma sizniki boʻlsa',
    hint: 'Siz ochgan bemorlar 24 soatgacha internetsiz ham koʻrinadi va tizimdan chiqqaningizda oʻchiriladi. Umumiy yoki klinika kompyuterida belgilamang: unda bemorlar haqida bu yerda hech narsa saqlanmaydi.',
  },
  signedOut: {
    expired: 'Seans muddati tugadi. Iltimos, qaytadan kiring.',
    user_revoked: 'Bu seans boshqa qurilmadan yakunlandi. Iltimos, qaytadan kiring.',
    password_changed:
      'Parol oʻzgartirildi, shuning uchun bu qurilmada seans yakunlandi. Yangi parol bilan kiring.',
    session_cap:
      'Siz boshqa qurilmada tizimga kirdingiz. Bir vaqtda faqat bir nechta seans ochiq boʻlishi mumkin, shuning uchun eng eskisi — shu qurilmadagi seans — yakunlandi.',
    token_reuse:
      'Xavfsizlik uchun bu qurilmada seans yakunlandi: seans kaliti ikki marta ishlatildi. Iltimos, qaytadan kiring.',
    account_disabled: 'Bu hisob oʻchirib qoʻyilgan. Qoʻllab-quvvatlash xizmatiga murojaat qiling.',
  },
};
