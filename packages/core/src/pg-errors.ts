/**
 * The PostgreSQL error behind a failed query (node-postgres' DatabaseError carries SQLSTATE in
 * `code` and the violated constraint's or index's name in `constraint`). Services use it to
 * turn a constraint they can hit into a proper app error instead of a 500.
 */
export function pgViolation(err: unknown): { code: string; constraint: string | null } | null {
  if (typeof err !== 'object' || err === null) return null;
  const { code, constraint } = err as { code?: unknown; constraint?: unknown };
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  return { code, constraint: typeof constraint === 'string' ? constraint : null };
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';
