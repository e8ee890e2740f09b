import type { Db } from '@medora/db';
import type { AuditActorRole, AuditOutcome } from '@medora/schema';
import { isScope, type RequestMeta, type Scope } from '../scope';
import { compiledOnce, type Executor } from '../db';

export { systemMeta, type RequestMeta } from '../scope';

export interface AuditEntry {
  action: string;
  outcome: AuditOutcome;
  entityType?: string;
  entityId?: string;
  /**
   * Only for calls without a signed-in caller (sign-up, sign-in, system): who the row is about.
   * With a scope these come from the scope and must not be given.
   */
  actorUserId?: string | null;
  actorRole?: AuditActorRole;
  workspaceId?: string | null;
  /** Never secrets, tokens, passwords or clinical data. */
  meta?: Record<string, string | number | boolean | null>;
}

// Compiled once: nearly every read writes one. One stand-in per column, in this order.
const insertAudit = compiledOnce(
  10,
  (
    db: Executor,
    action: string,
    outcome: AuditOutcome,
    actorUserId: string | null,
    actorRole: AuditActorRole | null,
    workspaceId: string | null,
    entityType: string | null,
    entityId: string | null,
    ip: string | null,
    requestId: string | null,
    meta: string,
  ) =>
    db.insertInto('audit_log').values({
      action,
      outcome,
      actor_user_id: actorUserId,
      actor_role: actorRole,
      workspace_id: workspaceId,
      entity_type: entityType,
      entity_id: entityId,
      ip,
      request_id: requestId,
      meta,
    }),
);

/** Append-only trail of who did what. Written inside the caller's transaction when given one. */
export class AuditService {
  constructor(private readonly db: Db) {}

  /**
   * `actor` is the caller's scope, or the bare request for anonymous and system calls. Actor,
   * role, workspace, IP and request id are filled in here so no call site copies them.
   */
  async record(
    actor: Scope | RequestMeta,
    entry: AuditEntry,
    executor: Executor = this.db,
  ): Promise<void> {
    const row = rowOf(actor, entry);
    await insertAudit(
      executor,
      row.action,
      row.outcome,
      row.actor_user_id,
      row.actor_role,
      row.workspace_id,
      row.entity_type,
      row.entity_id,
      row.ip,
      row.request_id,
      row.meta,
    );
  }

  /** Several rows about one actor in one insert (one round trip inside a short transaction). */
  async recordAll(
    actor: Scope | RequestMeta,
    entries: readonly AuditEntry[],
    executor: Executor = this.db,
  ): Promise<void> {
    if (entries.length === 0) return;
    if (entries.length === 1) return this.record(actor, entries[0]!, executor);
    await executor
      .insertInto('audit_log')
      .values(entries.map((entry) => rowOf(actor, entry)))
      .execute();
  }
}

/** The row for `entry`: actor, role, workspace, IP and request id from `actor`. */
function rowOf(actor: Scope | RequestMeta, entry: AuditEntry) {
  const scoped = isScope(actor);
  const actorUserId = scoped ? actor.userId : (entry.actorUserId ?? null);
  return {
    action: entry.action,
    outcome: entry.outcome,
    actor_user_id: actorUserId,
    actor_role: scoped ? actor.role : (entry.actorRole ?? (actorUserId ? null : 'anonymous')),
    workspace_id: scoped ? actor.workspaceId : (entry.workspaceId ?? null),
    entity_type: entry.entityType ?? null,
    entity_id: entry.entityId ?? null,
    ip: actor.ip,
    request_id: actor.requestId,
    meta: JSON.stringify(entry.meta ?? {}),
  };
}
