import type { Db } from '@medora/db';
import type {
  AdminAuditListInput,
  AdminOverview,
  AdminUser,
  AdminUserListInput,
  AdminUserRow,
} from '@medora/schema';
import { z } from 'zod';
import type { AuditService } from '../audit/index';
import { cancellableConnection } from '../db';
import { AppError } from '../errors';
import { decodeCursor, encodeCursor, pgTimestamp, uuidValue } from '../pagination/cursor';
import type { AdminScope } from '../scope';
import * as q from './console-queries';

const userCursor = z.tuple([pgTimestamp, uuidValue]);
const auditCursor = z.tuple([pgTimestamp, z.number().int().positive()]);

const notFound = () => new AppError('NOT_FOUND', 'NOT_FOUND');

/** Sums arrive as text (bigint); tiyin amounts stay far below 2^53. */
const tiyin = (v: string) => Number(v);

function userRow(r: q.UserWithWorkspace): AdminUserRow {
  return {
    id: r.id,
    name: r.name,
    phone: r.phone,
    role: r.role,
    active: r.is_active,
    createdAt: r.created_at,
    lastLoginAt: r.last_login_at,
    workspace:
      r.workspace_id && r.subscription_status && r.plan_code
        ? {
            id: r.workspace_id,
            name: r.workspace_name!,
            planCode: r.plan_code,
            planName: { uz: r.name_uz!, ru: r.name_ru!, en: r.name_en! },
            status: r.subscription_status,
            endsAt: r.access_ends_at,
          }
        : null,
  };
}

/** The admin console's overview, users and audit log (admins only; the router says so). */
export class AdminConsoleService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  async overview(_scope: AdminScope): Promise<AdminOverview> {
    const [counts, months, days] = await Promise.all([
      q.overviewCounts(this.db),
      q.revenueByMonth(this.db),
      q.analysesPerDay(this.db),
    ]);
    return {
      doctors: counts.doctors,
      trialing: counts.trialing,
      active: counts.active,
      expired: counts.expired,
      pendingPayments: counts.pending_payments,
      revenueThisMonthTiyin: tiyin(counts.revenue_this_month),
      revenueByMonth: months.map((m) => ({ month: m.month, amountTiyin: tiyin(m.amount) })),
      analysesPerDay: days,
    };
  }

  /** `signal`: the caller gave up (the client hung up); the query stops in PostgreSQL too. */
  async listUsers(
    _scope: AdminScope,
    input: AdminUserListInput,
    opts: { signal?: AbortSignal } = {},
  ): Promise<{ items: AdminUserRow[]; nextCursor: string | null }> {
    const after = input.cursor ? decodeCursor(input.cursor, userCursor) : undefined;
    const rows = await cancellableConnection(this.db, opts.signal, (conn) =>
      q.listUsers(conn, {
        search: input.search,
        status: input.status,
        subscription: input.subscription,
        after: after && { createdAt: after[0], id: after[1] },
        limit: input.limit,
      }),
    );
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return {
      items: page.map(userRow),
      nextCursor:
        rows.length > input.limit && last ? encodeCursor([last.created_at_text, last.id]) : null,
    };
  }

  async getUser(_scope: AdminScope, id: string): Promise<AdminUser> {
    const r = await q.getUser(this.db, id);
    if (!r) throw notFound();
    const counts = r.workspace_id
      ? await q.workspaceCounts(this.db, r.workspace_id)
      : { patients: 0, analyses: 0 };
    return { ...userRow(r), email: r.email, locale: r.locale, ...counts };
  }

  /**
   * Activates or deactivates an account. Deactivation revokes every session of the user in the
   * same transaction; access tokens die on the next request because `authenticate` reads
   * `users.is_active` with the session. An admin cannot lock themselves out.
   */
  async setActive(scope: AdminScope, input: { id: string; active: boolean }): Promise<AdminUser> {
    if (!input.active && input.id === scope.userId) {
      await this.audit.record(scope, {
        action: 'admin.user.deactivate',
        outcome: 'denied',
        entityType: 'user',
        entityId: input.id,
        meta: { reason: 'self' },
      });
      throw new AppError('BAD_REQUEST', 'CANNOT_DEACTIVATE_SELF');
    }
    await this.db.transaction().execute(async (trx) => {
      if (!(await q.setUserActive(trx, input.id, input.active))) throw notFound();
      const revoked = input.active ? 0 : await q.revokeAllSessions(trx, input.id);
      await this.audit.record(
        scope,
        {
          action: input.active ? 'admin.user.activate' : 'admin.user.deactivate',
          outcome: 'success',
          entityType: 'user',
          entityId: input.id,
          meta: input.active ? {} : { sessionsRevoked: revoked },
        },
        trx,
      );
    });
    return this.getUser(scope, input.id);
  }

  /** `signal`: the caller gave up (the client hung up); the query stops in PostgreSQL too. */
  async listAudit(
    _scope: AdminScope,
    input: AdminAuditListInput,
    opts: { signal?: AbortSignal } = {},
  ) {
    const after = input.cursor ? decodeCursor(input.cursor, auditCursor) : undefined;
    const [entityType, entityId] = input.entity ? splitEntity(input.entity) : [];
    const rows = await cancellableConnection(this.db, opts.signal, (conn) =>
      q.listAudit(
        conn,
        {
          actor: input.actor,
          action: input.action,
          from: input.from,
          to: input.to,
          entityType,
          entityId,
        },
        after && { at: after[0], id: after[1] },
        input.limit,
      ),
    );
    const page = rows.slice(0, input.limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        id: Number(r.id),
        at: r.at,
        action: r.action,
        outcome: r.outcome,
        actorUserId: r.actor_user_id,
        actorRole: r.actor_role,
        workspaceId: r.workspace_id,
        entityType: r.entity_type,
        entityId: r.entity_id,
        ip: r.ip,
        requestId: r.request_id,
        meta: (typeof r.meta === 'string' ? JSON.parse(r.meta) : r.meta) as Record<string, unknown>,
      })),
      nextCursor:
        rows.length > input.limit && last ? encodeCursor([last.at_text, Number(last.id)]) : null,
    };
  }
}

/** `user` or `user:<id>`: the entity type, and its id when given. */
function splitEntity(entity: string): [string, string | undefined] {
  const i = entity.indexOf(':');
  return i < 0 ? [entity, undefined] : [entity.slice(0, i), entity.slice(i + 1) || undefined];
}
