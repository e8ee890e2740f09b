import type { AccessLogEntry } from '@medora/schema';
import { sql, type SqlBool } from 'kysely';
import { z } from 'zod';
import type { Executor } from '../db';
import { decodeCursor, encodeCursor, pgTimestamp } from '../pagination/cursor';
import type { TenantScope } from '../scope';

const logCursor = z.tuple([pgTimestamp, z.number().int().positive()]);

/**
 * Who viewed or changed a patient, newest first: the patient's own rows and those of files
 * attached to it (they carry `meta.patientId`). Only the caller's workspace's rows, so another
 * workspace's denied attempts on the same id never show.
 */
export async function patientAccessLog(
  db: Executor,
  scope: TenantScope,
  patientId: string,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ items: AccessLogEntry[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_user_id')
    .select([
      'a.id',
      'a.at',
      sql<string>`a.at::text`.as('at_text'),
      'a.action',
      'a.outcome',
      'a.actor_user_id',
      'a.actor_role',
      'a.entity_type',
      'a.entity_id',
      'a.ip',
      'u.name as actor_name',
    ])
    .where('a.workspace_id', '=', scope.workspaceId)
    .where((eb) =>
      eb.or([
        eb.and([eb('a.entity_type', '=', 'patient'), eb('a.entity_id', '=', patientId)]),
        sql<SqlBool>`a.meta ? 'patientId' and a.meta->>'patientId' = ${patientId}`,
      ]),
    );
  if (page.cursor) {
    const [at, id] = decodeCursor(page.cursor, logCursor);
    q = q.where(sql<SqlBool>`(a.at, a.id) < (${at}::timestamptz, ${id})`);
  }
  const rows = await q
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  const last = items.at(-1);
  return {
    items: items.map((r) => ({
      at: r.at,
      action: r.action,
      outcome: r.outcome,
      actor:
        r.actor_user_id && r.actor_name
          ? { id: r.actor_user_id, name: r.actor_name, role: r.actor_role ?? 'doctor' }
          : null,
      fileId: r.entity_type === 'file' ? r.entity_id : null,
      ip: r.ip,
    })),
    nextCursor: more && last ? encodeCursor([last.at_text, Number(last.id)]) : null,
  };
}
