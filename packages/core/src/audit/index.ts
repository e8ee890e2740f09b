import type { Db } from '@medora/db';
import type { Kysely } from 'kysely';
import type { Database } from '@medora/db';

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export const systemMeta: RequestMeta = { ip: null, userAgent: null, requestId: null };

export interface AuditEntry {
  action: string;
  outcome: 'success' | 'failure' | 'denied';
  actorUserId?: string | null;
  actorRole?: 'doctor' | 'admin' | 'system' | 'anonymous';
  workspaceId?: string | null;
  entityType?: string;
  entityId?: string;
  /** Never secrets, tokens, passwords or clinical data. */
  meta?: Record<string, string | number | boolean | null>;
}

/** Append-only trail of who did what. Written inside the caller's transaction when given one. */
export class AuditService {
  constructor(private readonly db: Db) {}

  async record(
    entry: AuditEntry,
    req: RequestMeta,
    trx: Kysely<Database> = this.db,
  ): Promise<void> {
    await trx
      .insertInto('audit_log')
      .values({
        action: entry.action,
        outcome: entry.outcome,
        actor_user_id: entry.actorUserId ?? null,
        actor_role: entry.actorRole ?? (entry.actorUserId ? null : 'anonymous'),
        workspace_id: entry.workspaceId ?? null,
        entity_type: entry.entityType ?? null,
        entity_id: entry.entityId ?? null,
        ip: req.ip,
        request_id: req.requestId,
        meta: JSON.stringify(entry.meta ?? {}),
      })
      .execute();
  }
}
