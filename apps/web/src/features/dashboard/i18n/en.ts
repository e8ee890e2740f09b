/** The doctor's dashboard, English. */
export const en = {
  dashboard: {
    title: 'Dashboard',
    greeting: 'Welcome, {{name}}!',
    subscriptionTitle: 'Subscription',
    manageSubscription: 'Plans and payment',
    plan: 'Plan: {{plan}}',
    trialDaysLeft_one: 'Trial: {{count}} day left',
    trialDaysLeft_other: 'Trial: {{count}} days left',
    paidDaysLeft_one: 'Subscription active: {{count}} day left',
    paidDaysLeft_other: 'Subscription active: {{count}} days left',
    endsOn: 'Ends on {{date}}.',
    trialEnded: 'Your trial has ended.',
    expired: 'Your subscription has expired. Renew it to keep creating analyses.',
    canceled: 'Your subscription has been canceled. Renew it to keep creating analyses.',
    noSubscription: 'You have no subscription yet.',
    limit_one: 'Up to {{count}} analysis per month.',
    limit_other: 'Up to {{count}} analyses per month.',
    unlimited: 'Unlimited analyses.',
    statusLabel: 'Status',
    status: {
      trialing: 'Trial',
      active: 'Active',
      expired: 'Expired',
      canceled: 'Canceled',
    },
  },
} as const;
