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
  | 'INTERNAL_SERVER_ERROR';

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
