import type { AppErrorCode, FieldErrors } from '@medora/schema';

/** Transport-neutral error kinds; the API maps them to tRPC codes and HTTP statuses. */
export type ErrorKind =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'TOO_MANY_REQUESTS'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INTERNAL_SERVER_ERROR'
  | 'SERVICE_UNAVAILABLE';

/**
 * An expected failure of a domain rule. Services throw it; the API turns it into a response with
 * a stable, translatable `code`. Anything else thrown is a bug and answers a generic 500.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly kind: ErrorKind,
    readonly code: AppErrorCode,
    readonly details: {
      fieldErrors?: FieldErrors;
      retryAfterSeconds?: number;
      /** Failed sign-ins left before a lock-out, told once few remain. */
      attemptsRemaining?: number;
      /** The month's allowance, when it is used up (USAGE_LIMIT_REACHED). */
      usage?: { used: number; limit: number | null; resetsAt: string };
    } = {},
  ) {
    super(code);
  }
}

export const unauthenticated = (code: AppErrorCode = 'UNAUTHENTICATED') =>
  new AppError('UNAUTHORIZED', code);
export const notFound = () => new AppError('NOT_FOUND', 'NOT_FOUND');

/** Socket failures: the peer is down, restarting or unreachable. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** SQLSTATEs of a server shutting down, starting up or out of connections. */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
/** node-postgres reports a lost or refused connection with these messages and no code. */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
];

/**
 * Whether an error means the database (or another service the request needs) cannot be reached
 * right now, rather than a bug: such a request answers 503 SERVICE_UNAVAILABLE, which a client
 * may retry, instead of a 500.
 */
export function isServiceUnavailable(err: unknown, depth = 0): boolean {
  if (depth > 4 || typeof err !== 'object' || err === null) return false;
  const { code, message, cause, errors } = err as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (typeof code === 'string') {
    if (UNREACHABLE_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    // Class 08: connection exceptions.
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((re) => re.test(message)))
    return true;
  // Node reports a refused connection to a name with several addresses as an AggregateError.
  if (Array.isArray(errors) && errors.some((e) => isServiceUnavailable(e, depth + 1))) return true;
  return isServiceUnavailable(cause, depth + 1);
}
