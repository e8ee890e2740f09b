import type { Db } from '@medora/db';
import type { AuditActorRole, AuditOutcome } from '@medora/schema';
import { isScope, type RequestMeta, type Scope } from '../scope';
import type { Executor } from '../db';

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
    await this.recordAll(actor, [entry], executor);
  }

  /** Several rows about one actor in one insert (one round trip inside a short transaction). */
  async recordAll(
    actor: Scope | RequestMeta,
    entries: readonly AuditEntry[],
    executor: Executor = this.db,
  ): Promise<void> {
    if (entries.length === 0) return;
    const scoped = isScope(actor);
    await executor
      .insertInto('audit_log')
      .values(
        entries.map((entry) => {
          const actorUserId = scoped ? actor.userId : (entry.actorUserId ?? null);
          return {
            action: entry.action,
            outcome: entry.outcome,
            actor_user_id: actorUserId,
            actor_role: scoped
              ? actor.role
              : (entry.actorRole ?? (actorUserId ? null : 'anonymous')),
            workspace_id: scoped ? actor.workspaceId : (entry.workspaceId ?? null),
            entity_type: entry.entityType ?? null,
            entity_id: entry.entityId ?? null,
            ip: actor.ip,
            request_id: actor.requestId,
            meta: JSON.stringify(entry.meta ?? {}),
          };
        }),
      )
      .execute();
  }
}
