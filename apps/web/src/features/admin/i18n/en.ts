/** The admin landing page, English. */
export const en = {
  admin: {
    title: 'Administration',
    greeting: 'Signed in as administrator: {{name}}',
    intro:
      'The admin console — approving payment receipts, managing plans and users — is being built. Until it is ready there is nothing for an administrator to do here.',
    profileHint: 'You can change your name, language and password on your profile page.',
  },
} as const;
