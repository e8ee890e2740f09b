import 'i18next';
import type { en as shell } from './en';
import type { en as account } from '../features/account/i18n/en';
import type { en as analyses } from '../features/analyses/i18n/en';
import type { en as admin } from '../features/admin/i18n/en';
import type { en as auth } from '../features/auth/i18n/en';
import type { en as dashboard } from '../features/dashboard/i18n/en';
import type { en as notifications } from '../features/notifications/i18n/en';
import type { en as patients } from '../features/patients/i18n/en';
import type { en as subscription } from '../features/subscription/i18n/en';

// The shell's strings plus every feature's: keys type-check wherever they are used, while each
// feature's strings still load only with its route.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: {
      translation: typeof shell &
        typeof auth &
        typeof account &
        typeof dashboard &
        typeof admin &
        typeof patients &
        typeof analyses &
        typeof notifications &
        typeof subscription;
    };
  }
}
