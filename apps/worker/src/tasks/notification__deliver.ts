import { defineTask } from './define';

export const NOTIFICATION_DELIVER_TASK = 'notification__deliver';

/**
 * Sends one notification by e-mail and SMS (in-app needs nothing). Every channel is tried and
 * recorded on its own; the service throws at the end when one failed, so Graphile Worker retries
 * the job with backoff (notify() enqueues it with NOTIFICATION_DELIVERY_MAX_ATTEMPTS), and a
 * channel already sent is not sent again.
 */
export const notificationDeliverTask = defineTask({
  name: NOTIFICATION_DELIVER_TASK,
  handler: async ({ notificationId }, { services, logger }) => {
    const { channels } = await services.notifications.deliver(notificationId);
    logger.info({ notificationId, channels }, 'notification delivered');
  },
});
