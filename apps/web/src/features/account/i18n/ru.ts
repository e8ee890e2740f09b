import type { Messages } from '../../../i18n/types';

/** Профиль и сеансы, русский. */
export const ru: Messages = {
  profile: {
    title: 'Профиль',
    phone: 'Телефон: {{phone}}',
    personalTitle: 'Личные данные',
    personalSubmit: 'Сохранить изменения',
    personalSaved: 'Изменения сохранены.',
    passwordTitle: 'Смена пароля',
    passwordSubmit: 'Сменить пароль',
    passwordChanged: 'Пароль изменён. На других устройствах выполнен выход.',
  },
  sessions: {
    title: 'Активные сеансы',
    intro: 'Устройства, на которых вы вошли. Завершите сеансы, которые вам незнакомы.',
    caption: 'Ваши активные сеансы',
    device: 'Устройство',
    ip: 'IP-адрес',
    started: 'Вход',
    lastUsed: 'Последняя активность',
    actions: 'Действия',
    thisDevice: 'Это устройство',
    end: 'Завершить сеанс',
    ending: 'Завершение…',
    ended: 'Сеанс на устройстве «{{device}}» завершён.',
    confirmTitle: 'Завершить этот сеанс?',
    confirmBody:
      'На устройстве «{{device}}» (IP {{ip}}, последняя активность {{lastUsed}}) будет выполнен выход; чтобы войти снова, понадобится пароль.',
    confirm: 'Завершить сеанс',
    cancel: 'Отмена',
    noOthers: 'Других активных сеансов нет.',
    unknownDevice: 'Неизвестное устройство',
    unknown: 'неизвестно',
    deviceOn: '{{browser}}, {{os}}',
    deviceOnModel: '{{browser}}, {{model}} ({{os}})',
  },
};
