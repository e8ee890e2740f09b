/**
 * Turns anything a call can throw into words for the user: app error codes and field errors from
 * the server's error formatter, network failures, timeouts and offline.
 */
import i18next, { type TFunction } from 'i18next';
import { TRPCClientError } from '@trpc/client';
import type { AppErrorCode, FieldErrorCode, FieldErrors } from '@medora/schema';

// A code is "known" when it has a translation; a unit test checks that every code of the schema
// has one. (Reading the code lists from the schema would pull zod into the app shell.)
const isAppCode = (code: string): code is AppErrorCode => i18next.exists(`errors.app.${code}`);
const isFieldCode = (code: string): code is FieldErrorCode =>
  !code.includes(':') && i18next.exists(`errors.field.${code}`);

export type ErrorKind = 'app' | 'network' | 'offline' | 'timeout' | 'server' | 'unknown';

export interface ParsedError {
  kind: ErrorKind;
  appCode: AppErrorCode | null;
  httpStatus: number | null;
  fieldErrors: FieldErrors;
  retryAfterSeconds: number | null;
  /** Sign-in attempts left before the lock, once only a few remain. */
  attemptsRemaining: number | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function parseFieldErrors(value: unknown): FieldErrors {
  if (!isRecord(value)) return {};
  const out: FieldErrors = {};
  for (const [field, codes] of Object.entries(value)) {
    if (!Array.isArray(codes)) continue;
    const known = codes.filter((c): c is FieldErrorCode => typeof c === 'string' && isFieldCode(c));
    const unknownCount = codes.length - known.length;
    out[field] = unknownCount > 0 && known.length === 0 ? ['invalid'] : known;
  }
  return out;
}

function isOffline(): boolean {
  return typeof navigator !== 'undefined' && navigator.onLine === false;
}

/** Reads the structured parts of an error; never throws. */
export function parseError(error: unknown): ParsedError {
  const base: ParsedError = {
    kind: 'unknown',
    appCode: null,
    httpStatus: null,
    fieldErrors: {},
    retryAfterSeconds: null,
    attemptsRemaining: null,
  };
  const cause: unknown = error instanceof TRPCClientError ? error.cause : error;
  if (isRecord(cause) && cause.name === 'TimeoutError') return { ...base, kind: 'timeout' };
  if (cause instanceof TypeError || (isRecord(cause) && cause.name === 'NetworkError')) {
    return { ...base, kind: isOffline() ? 'offline' : 'network' };
  }
  if (!(error instanceof TRPCClientError))
    return { ...base, kind: isOffline() ? 'offline' : 'unknown' };

  const data: unknown = error.data;
  if (!isRecord(data)) {
    // No tRPC error body: a proxy's HTML error page or an unreadable answer.
    return { ...base, kind: isOffline() ? 'offline' : 'server' };
  }
  const httpStatus = typeof data.httpStatus === 'number' ? data.httpStatus : null;
  const appCode = typeof data.appCode === 'string' && isAppCode(data.appCode) ? data.appCode : null;
  const retryAfterSeconds =
    typeof data.retryAfterSeconds === 'number' && data.retryAfterSeconds > 0
      ? data.retryAfterSeconds
      : null;
  const attemptsRemaining =
    typeof data.attemptsRemaining === 'number' && Number.isInteger(data.attemptsRemaining)
      ? Math.max(0, data.attemptsRemaining)
      : null;
  const fieldErrors = parseFieldErrors(data.fieldErrors);
  let kind: ErrorKind = 'app';
  if (!appCode && httpStatus !== null && httpStatus >= 500) kind = 'server';
  return {
    kind,
    appCode: appCode ?? fallbackAppCode(httpStatus, data.code),
    httpStatus,
    fieldErrors,
    retryAfterSeconds,
    attemptsRemaining,
  };
}

function fallbackAppCode(httpStatus: number | null, trpcCode: unknown): AppErrorCode | null {
  switch (trpcCode) {
    case 'UNAUTHORIZED':
      return 'UNAUTHENTICATED';
    case 'FORBIDDEN':
      return 'FORBIDDEN';
    case 'NOT_FOUND':
      return 'NOT_FOUND';
    case 'TOO_MANY_REQUESTS':
      return 'RATE_LIMITED';
    case 'PAYLOAD_TOO_LARGE':
      return 'PAYLOAD_TOO_LARGE';
    case 'BAD_REQUEST':
      return 'VALIDATION_FAILED';
    case 'SERVICE_UNAVAILABLE':
      return 'SERVICE_UNAVAILABLE';
  }
  if (httpStatus === 429) return 'RATE_LIMITED';
  if (httpStatus === 503) return 'SERVICE_UNAVAILABLE';
  if (httpStatus !== null && httpStatus >= 500) return 'INTERNAL';
  return null;
}

/** "Try again in 3 minutes." for a retry delay, or '' when there is none. */
export function retryAfterText(t: TFunction, seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return t('errors.retryAfterSeconds', { count: Math.ceil(seconds) });
  return t('errors.retryAfterMinutes', { count: Math.ceil(seconds / 60) });
}

/** One sentence (or two) describing the error, in the current language. */
export function errorMessage(t: TFunction, parsed: ParsedError): string {
  switch (parsed.kind) {
    case 'offline':
      return t('errors.offline');
    case 'network':
      return t('errors.network');
    case 'timeout':
      return t('errors.timeout');
    case 'server':
      return t('errors.server');
    case 'unknown':
      return t('errors.generic');
    case 'app': {
      const main = parsed.appCode ? t(`errors.app.${parsed.appCode}`) : t('errors.generic');
      const retry = retryAfterText(t, parsed.retryAfterSeconds);
      return retry ? `${main} ${retry}` : main;
    }
  }
}

export function fieldErrorMessage(t: TFunction, code: FieldErrorCode): string {
  return t(`errors.field.${code}`);
}
