import type { UserRole } from '@medora/schema';

/** Where a call came from; every audit row carries it. */
export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

/** Calls made by the system itself (start-up, CLI, worker jobs). */
export const systemMeta: RequestMeta = { ip: null, userAgent: null, requestId: null };

/**
 * The signed-in caller, built by the API's procedure builders from a live session. Services take
 * it as their first argument; `audit.record(scope, …)` reads actor, role, workspace, IP and
 * request id from it.
 */
export interface Scope extends RequestMeta {
  userId: string;
  role: UserRole;
  /** The session family the caller's access token belongs to. */
  sessionId: string;
  workspaceId: string | null;
}

/**
 * A doctor inside their workspace. Tenant queries take this (or `TenantScope`), so they cannot
 * be called without the workspace id that came from the session.
 */
export interface DoctorScope extends Scope {
  role: 'doctor';
  workspaceId: string;
}

export interface AdminScope extends Scope {
  role: 'admin';
}

/** The part of a scope a tenant query needs: the caller's workspace, never one from input. */
export type TenantScope = Pick<DoctorScope, 'workspaceId'>;

export function isScope(actor: Scope | RequestMeta): actor is Scope {
  return 'userId' in actor;
}

/** The caller's scope from their live session and the request it came with. */
export function scopeOf(
  session: Pick<Scope, 'userId' | 'role' | 'sessionId' | 'workspaceId'>,
  meta: RequestMeta,
): Scope {
  return {
    userId: session.userId,
    role: session.role,
    sessionId: session.sessionId,
    workspaceId: session.workspaceId,
    ip: meta.ip,
    userAgent: meta.userAgent,
    requestId: meta.requestId,
  };
}

/** The scope as a doctor inside their workspace, or null for anyone else. */
export function asDoctor(scope: Scope): DoctorScope | null {
  return scope.role === 'doctor' && scope.workspaceId
    ? { ...scope, role: 'doctor', workspaceId: scope.workspaceId }
    : null;
}
