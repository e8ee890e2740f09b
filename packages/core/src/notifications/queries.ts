import {
  notificationChannels,
  notificationParams,
  type DeliveryStatus,
  type NotificationChannel,
  type NotificationMessage,
} from '@medora/schema';
import { sql, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { Executor, Trx } from '../db';
import { addJob, NOTIFICATION_DELIVERY_MAX_ATTEMPTS } from '../jobs/index';
import { decodeCursor, encodeCursor, pgTimestamp, uuidValue } from '../pagination/cursor';

export { NOTIFICATION_DELIVERY_MAX_ATTEMPTS };

/**
 * A new notification. `kind` and `params` go together (see `notificationParams` in
 * @medora/schema): what the text needs (plan code, dates as ISO strings, a rejection reason),
 * never patient data. The text itself is rendered per the user's locale when it is shown or
 * delivered.
 */
export type NewNotification = NotificationMessage & {
  workspaceId: string | null;
  /**
   * One notification per user and key, ever: a job re-run, a retried request or two admins
   * clicking at once add nothing the second time. Shape it `<kind>:<what it is about>`, e.g.
   * `payment_approved:<paymentId>` or `subscription_expiring:3d:<period end ISO>`.
   */
  dedupeKey: string;
};

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
  // A caller's bug, not user input: params the texts cannot word are refused before any write.
  const checked = notificationParams[n.kind].safeParse(n.params);
  if (!checked.success) {
    throw new Error(`notify(${n.kind}): bad params: ${z.prettifyError(checked.error)}`);
  }
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
        params: sql`${JSON.stringify(checked.data)}::jsonb`,
        dedupe_key: n.dedupeKey,
      })),
    )
    .onConflict((oc) => oc.columns(['user_id', 'dedupe_key']).doNothing())
    .returning('id')
    .execute();
  for (const { id } of rows) {
    await addJob(
      trx,
      'notification__deliver',
      { notificationId: id },
      { maxAttempts: NOTIFICATION_DELIVERY_MAX_ATTEMPTS },
    );
  }
  return rows.map((r) => r.id);
}

// ---------------------------------------------------------------------------------------------
// The user's own list. Every query takes the caller's user id (from the session), never one
// from input: a notification of someone else is simply not found.

const listCursor = z.tuple([pgTimestamp, uuidValue]);

export interface NotificationRow {
  id: string;
  kind: NotificationMessage['kind'];
  params: unknown;
  created_at: Date;
  read_at: Date | null;
  plan: { code: string; names: { uz: string; ru: string; en: string } } | null;
  deliveries: { channel: NotificationChannel; status: DeliveryStatus }[];
}

/** Newest first, keyset-paged on (created_at, id) by notifications_user_created_idx. */
export async function listForUser(
  db: Executor,
  userId: string,
  input: { unreadOnly?: boolean | undefined; cursor?: string | undefined; limit: number },
): Promise<{ rows: NotificationRow[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('notifications as n')
    .leftJoin('plans as p', (j) => j.on(sql<SqlBool>`p.code = n.params->>'planCode'`))
    .where('n.user_id', '=', userId)
    .select((eb) => [
      'n.id',
      'n.kind',
      'n.params',
      'n.created_at',
      'n.read_at',
      'p.code as plan_code',
      'p.name_uz',
      'p.name_ru',
      'p.name_en',
      sql<string>`n.created_at::text`.as('cursor_at'),
      eb
        .selectFrom('notification_deliveries as d')
        .whereRef('d.notification_id', '=', 'n.id')
        .select(
          sql<
            NotificationRow['deliveries']
          >`coalesce(json_agg(json_build_object('channel', d.channel, 'status', d.status) order by d.channel), '[]'::json)`.as(
            'agg',
          ),
        )
        .as('deliveries'),
    ]);
  if (input.unreadOnly) q = q.where('n.read_at', 'is', null);
  if (input.cursor) {
    const [at, id] = decodeCursor(input.cursor, listCursor);
    q = q.where(sql<SqlBool>`(n.created_at, n.id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await q
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(input.limit + 1)
    .execute();
  const page = rows.slice(0, input.limit);
  const last = page[page.length - 1];
  return {
    rows: page.map(({ cursor_at: _c, deliveries, plan_code, name_uz, name_ru, name_en, ...r }) => ({
      ...r,
      plan:
        plan_code && name_uz !== null && name_ru !== null && name_en !== null
          ? { code: plan_code, names: { uz: name_uz, ru: name_ru, en: name_en } }
          : null,
      deliveries: deliveries ?? [],
    })),
    nextCursor: rows.length > input.limit && last ? encodeCursor([last.cursor_at, last.id]) : null,
  };
}

/** Marks one (when `id` is given) or every unread notification of the user read. */
export async function markRead(
  db: Executor,
  userId: string,
  id: string | undefined,
): Promise<{ marked: number; found: boolean }> {
  if (id) {
    const row = await db
      .with('target', (w) =>
        w
          .selectFrom('notifications')
          .select(['id', 'read_at'])
          .where('id', '=', id)
          .where('user_id', '=', userId),
      )
      .with('marked', (w) =>
        w
          .updateTable('notifications')
          .set({ read_at: sql`now()` })
          .where('id', '=', id)
          .where('user_id', '=', userId)
          .where('read_at', 'is', null)
          .returning('id'),
      )
      .selectNoFrom((eb) => [
        eb.selectFrom('target').select(eb.fn.countAll<number>().as('c')).as('found'),
        eb.selectFrom('marked').select(eb.fn.countAll<number>().as('c')).as('marked'),
      ])
      .executeTakeFirstOrThrow();
    return { marked: Number(row.marked), found: Number(row.found) > 0 };
  }
  const res = await db
    .updateTable('notifications')
    .set({ read_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return { marked: Number(res.numUpdatedRows), found: true };
}

/** Served by the partial index notifications_user_unread_idx. */
export async function unreadCount(db: Executor, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

// ---------------------------------------------------------------------------------------------
// Delivery (the worker's side)

/** A notification with what its delivery needs: the recipient's addresses and language. */
export async function loadForDelivery(db: Executor, notificationId: string) {
  return db
    .selectFrom('notifications as n')
    .innerJoin('users as u', 'u.id', 'n.user_id')
    .where('n.id', '=', notificationId)
    .select(['n.id', 'n.kind', 'n.params', 'u.locale', 'u.email', 'u.phone', 'u.is_active'])
    .executeTakeFirst();
}

/** The plan's names per locale by code (a payment_approved text names the plan). */
export function planNames(db: Executor, code: string) {
  return db
    .selectFrom('plans')
    .where('code', '=', code)
    .select(['name_uz as uz', 'name_ru as ru', 'name_en as en'])
    .executeTakeFirst();
}

/**
 * One row per outbound channel, created on the first delivery attempt (notify() and the expiry
 * statement write only the notification), then the channels still to do: a retry never resends
 * one that was sent or skipped.
 */
export async function pendingChannels(
  db: Executor,
  notificationId: string,
): Promise<NotificationChannel[]> {
  await db
    .insertInto('notification_deliveries')
    .values(notificationChannels.map((channel) => ({ notification_id: notificationId, channel })))
    .onConflict((oc) => oc.columns(['notification_id', 'channel']).doNothing())
    .execute();
  const rows = await db
    .selectFrom('notification_deliveries')
    .where('notification_id', '=', notificationId)
    .where('status', 'in', ['pending', 'failed'])
    .select('channel')
    .orderBy('channel')
    .execute();
  return rows.map((r) => r.channel);
}

const ERROR_MAX = 500;

/** Records one channel's outcome; `attempts` counts real send attempts (not skips). */
export async function recordDelivery(
  db: Executor,
  notificationId: string,
  channel: NotificationChannel,
  outcome:
    | { status: 'sent' }
    | { status: 'skipped'; reason: string }
    | { status: 'failed'; error: string },
): Promise<void> {
  const attempted = outcome.status !== 'skipped';
  const error =
    outcome.status === 'failed'
      ? outcome.error.slice(0, ERROR_MAX)
      : outcome.status === 'skipped'
        ? outcome.reason.slice(0, ERROR_MAX)
        : null;
  await db
    .updateTable('notification_deliveries')
    .set((eb) => ({
      status: outcome.status,
      attempts: attempted ? eb('attempts', '+', 1) : eb.ref('attempts'),
      last_error: error,
      sent_at: outcome.status === 'sent' ? sql`now()` : null,
      updated_at: sql`now()`,
    }))
    .where('notification_id', '=', notificationId)
    .where('channel', '=', channel)
    .execute();
}
