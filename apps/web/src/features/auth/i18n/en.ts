/** Sign-in and registration, English. */
export const en = {
  register: {
    title: 'Create an account',
    intro: 'Start your free 7-day trial. No card needed.',
    submit: 'Create account',
    submitting: 'Creating account…',
    haveAccount: 'Already have an account?',
    draftNote: 'Your entries (except the password) are kept on this device until you finish.',
  },
  login: {
    title: 'Sign in',
    submit: 'Sign in',
    submitting: 'Signing in…',
    noAccount: 'No account yet?',
    attemptsRemaining_zero: 'No attempts left: sign-in is locked for at least 15 minutes.',
    attemptsRemaining_one: '{{count}} attempt left before a 15-minute lock.',
    attemptsRemaining_other: '{{count}} attempts left before a 15-minute lock.',
  },
  secondFactor: {
    codeTitle: 'Enter your authenticator code',
    codeIntro: 'Open your authenticator app and enter the 6-digit code it shows for MedoraAI.',
    codeLabel: 'Code',
    codeHint: '6 digits. Lost your phone? Enter one of your recovery codes instead.',
    verify: 'Confirm',
    verifying: 'Checking…',
    restart: 'Start again with the password',
    enrolTitle: 'Set up your authenticator',
    enrolIntro:
      'Administrators confirm every sign-in with a code. Scan this QR code with an authenticator app (for example Google Authenticator or Aegis), or type the key below into it. It is shown only now.',
    qrAlt: 'QR code for adding MedoraAI to an authenticator app',
    secretLabel: 'Key:',
    enrolCodeHint: 'Enter the 6-digit code the app now shows, to confirm it works.',
    enrolConfirm: 'Confirm and sign in',
    recoveryTitle: 'Your recovery codes',
    recoveryIntro:
      'Each code signs you in once if you lose your authenticator. Keep them somewhere safe, away from this computer: they are shown only now.',
    copy: 'Copy',
    copied: 'Copied.',
    download: 'Download as a file',
    continue: 'I have saved them — continue',
  },
  ownDevice: {
    label: 'Keep data on this device for offline use — only if this device is yours',
    hint: 'Patients you open stay readable without internet for up to 24 hours and are removed when you sign out. Leave this off on a shared or clinic computer: then nothing about patients is saved here.',
  },
  signedOut: {
    expired: 'Your session has expired. Please sign in again.',
    user_revoked: 'This session was ended from another device. Please sign in again.',
    password_changed:
      'Your password was changed, so this device was signed out. Sign in with the new password.',
    session_cap:
      'You signed in on another device, and only a few sessions can be open at once, so the oldest one — this device — was signed out.',
    token_reuse:
      'For your safety this device was signed out: its session key was used twice. Please sign in again.',
    account_disabled: 'This account has been disabled. Please contact support.',
  },
} as const;
