import {
  notificationListInput,
  notificationListOutput,
  notificationMarkReadInput,
  notificationUnreadCountOutput,
} from '@medora/schema';
import { protectedProcedure, router } from '../trpc';

// Notifications belong to a user, not a workspace: any signed-in caller sees their own, scoped
// by the session's user id (never an id from input).
export const notificationRouter = router({
  list: protectedProcedure
    .input(notificationListInput)
    .output(notificationListOutput)
    .query(({ ctx, input, signal }) =>
      ctx.services.notifications.list(ctx.scope, input, { signal }),
    ),

  /** Answers the unread count left. */
  markRead: protectedProcedure
    .input(notificationMarkReadInput)
    .output(notificationUnreadCountOutput)
    .mutation(({ ctx, input }) => ctx.services.notifications.markRead(ctx.scope, input.id)),

  unreadCount: protectedProcedure
    .output(notificationUnreadCountOutput)
    .query(({ ctx }) => ctx.services.notifications.unreadCount(ctx.scope)),
});
