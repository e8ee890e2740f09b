import type { NotificationKind } from '@medora/schema';
import { sql } from 'kysely';
import type { Trx } from '../db';
import { addJob } from '../jobs/index';

export interface NewNotification {
  workspaceId: string | null;
  kind: NotificationKind;
  /**
   * What the text needs (plan code, dates, amounts, a rejection reason): never patient data.
   * The text itself is rendered per the user's locale when it is shown or delivered.
   */
  params: Record<string, string | number | null>;
  /**
   * One notification per user and key, ever: a job re-run, a retried request or two admins
   * clicking at once add nothing the second time. Shape it `<kind>:<what it is about>`, e.g.
   * `payment_approved:<paymentId>` or `subscription_expiring:3d:<period end ISO>`.
   */
  dedupeKey: string;
}

/**
 * Notifies the workspace's owners (or `userIds` when given) in the caller's transaction, and
 * enqueues the outbound delivery of each new notification in the same transaction, so a
 * notification exists exactly when the change it reports commits. Returns the new ids (a
 * duplicate key adds nothing and enqueues nothing).
 */
export async function notify(
  trx: Trx,
  n: NewNotification,
  userIds?: readonly string[],
): Promise<string[]> {
  const recipients =
    userIds ??
    (n.workspaceId
      ? (
          await trx
            .selectFrom('workspace_members')
            .select('user_id')
            .where('workspace_id', '=', n.workspaceId)
            .where('role', '=', 'owner')
            .execute()
        ).map((r) => r.user_id)
      : []);
  if (recipients.length === 0) return [];
  const rows = await trx
    .insertInto('notifications')
    .values(
      recipients.map((userId) => ({
        user_id: userId,
        workspace_id: n.workspaceId,
        kind: n.kind,
        params: sql`${JSON.stringify(n.params)}::jsonb`,
        dedupe_key: n.dedupeKey,
      })),
    )
    .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
    .returning('id')
    .execute();
  for (const { id } of rows) await addJob(trx, 'notification__deliver', { notificationId: id });
  return rows.map((r) => r.id);
}
