/** Notifications, English. */
export const en = {
  notifications: {
    title: 'Notifications',
    unreadOnly: 'Unread only',
    none: 'No notifications yet.',
    noneUnread: 'No unread notifications.',
    markRead: 'Mark as read',
    markAllRead: 'Mark all as read',
    allMarked: 'All notifications are marked as read.',
    marked: 'Marked as read.',
    unread: 'Unread',
    more: 'Show more',
    kinds: {
      payment_approved: {
        title: 'Payment approved',
        body: 'The “{{plan}}” plan is active until {{date}}.',
      },
      payment_rejected: {
        title: 'Payment rejected',
        body: 'Reason: {{reason}}. You can submit a receipt again.',
      },
      subscription_expiring: {
        title: 'Your subscription ends soon',
        body: 'Your subscription ends on {{date}}. Renew it to keep running analyses.',
      },
      subscription_expired: {
        title: 'Your subscription has ended',
        body: 'It ended on {{date}}. Patients and reports stay available; pay to run new analyses.',
      },
      subscription_extended: {
        title: 'Subscription extended',
        body_one: 'Extended by {{count}} day, until {{date}}.',
        body_other: 'Extended by {{count}} days, until {{date}}.',
      },
    },
  },
};
