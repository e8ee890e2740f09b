import {
  AppError,
  asDoctor,
  bearerToken,
  isServiceUnavailable,
  scopeOf,
  unauthenticated,
  type AdminScope,
  type RequestMeta,
  type Services,
  type SessionContext,
  type VerifyResult,
} from '@medora/core';
import { toFieldErrors, type AppErrorCode, type FieldErrors } from '@medora/schema';
import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import superjson from 'superjson';
import { ZodError } from 'zod';

export const REFRESH_COOKIE = 'medora_rt';
/** The signed device cookie: this browser signed in as this user before (see LoginThrottle). */
export const DEVICE_COOKIE = 'medora_dev';

/**
 * Where the auth cookies live. With Secure cookies (production) they take the `__Host-` prefix,
 * which the browser honours only for a Secure cookie with Path=/ and no Domain: no subdomain
 * and no plain-http page can then plant or overwrite one. Over plain http (development, tests)
 * a Secure cookie would not stick, so the plain names stay, sent to the tRPC endpoint only.
 */
export function authCookies(secure: boolean): { refresh: string; device: string; path: string } {
  return secure
    ? { refresh: `__Host-${REFRESH_COOKIE}`, device: `__Host-${DEVICE_COOKIE}`, path: '/' }
    : { refresh: REFRESH_COOKIE, device: DEVICE_COOKIE, path: '/trpc' };
}

export interface CookieOptions {
  expires?: Date;
  httpOnly: boolean;
  secure: boolean;
  sameSite: 'strict' | 'lax';
  path: string;
}

/** The slice of cookie handling procedures need; Koa's cookies in the server, a map in tests. */
export interface CookieJar {
  get(name: string): string | undefined;
  set(name: string, value: string | null, opts: CookieOptions): void;
}

/**
 * The inner context: everything a procedure may touch apart from the transport. Tests and
 * scripts build it directly (`createInnerContext`) and call procedures through `createCaller`.
 * `session` is the caller resolved from a live access token, null when there was none;
 * `authFailure` says why a presented token was refused.
 */
export interface InnerContext {
  services: Services;
  session: SessionContext | null;
  meta: RequestMeta;
  authFailure?: AppError;
}

/**
 * The context procedures run with: the inner one, plus the request's cookies when the call came
 * over HTTP (the Koa adapter builds it with `createContext`). Without a jar, procedures that set
 * cookies still answer; there is just no browser to keep them.
 */
export interface Context extends InnerContext {
  cookies?: CookieJar;
}

export function createInnerContext(opts: {
  services: Services;
  session?: SessionContext | null;
  meta?: Partial<RequestMeta>;
}): InnerContext {
  return {
    services: opts.services,
    session: opts.session ?? null,
    meta: { ip: null, userAgent: null, requestId: null, ...opts.meta },
  };
}

/**
 * The outer context, built per HTTP request by the server's adapter: resolves the bearer token
 * to a session (a refused token is remembered, not thrown, so public procedures still run).
 */
export async function createContext(
  services: Services,
  req: RequestMeta & {
    authorization: string | null;
    cookies: CookieJar;
    /** The bearer's signature check, when the request already made it. */
    verifiedToken?: { token: string; result: VerifyResult };
  },
): Promise<Context & { cookies: CookieJar }> {
  const meta: RequestMeta = { ip: req.ip, userAgent: req.userAgent, requestId: req.requestId };
  const token = bearerToken(req.authorization);
  let session: SessionContext | null = null;
  let authFailure: AppError | undefined;
  if (token) {
    try {
      const verified = req.verifiedToken?.token === token ? req.verifiedToken.result : undefined;
      session = await services.sessions.authenticate(token, verified);
    } catch (e) {
      if (!(e instanceof AppError)) throw asUnavailable(e);
      authFailure = e;
    }
  }
  return { services, session, meta, cookies: req.cookies, ...(authFailure && { authFailure }) };
}

const appCodeForTrpc: Partial<Record<TRPC_ERROR_CODE_KEY, AppErrorCode>> = {
  PARSE_ERROR: 'VALIDATION_FAILED',
  BAD_REQUEST: 'VALIDATION_FAILED',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  METHOD_NOT_SUPPORTED: 'VALIDATION_FAILED',
  UNSUPPORTED_MEDIA_TYPE: 'VALIDATION_FAILED',
};

export interface AppErrorData {
  appCode: AppErrorCode;
  fieldErrors: FieldErrors | null;
  retryAfterSeconds: number | null;
  attemptsRemaining: number | null;
  /** With USAGE_LIMIT_REACHED: the month's count, its limit and when it resets. */
  usage: { used: number; limit: number | null; resetsAt: string } | null;
}

export function appErrorData(error: TRPCError): AppErrorData {
  const cause = error.cause;
  if (cause instanceof AppError) {
    return {
      appCode: cause.code,
      fieldErrors: cause.details.fieldErrors ?? null,
      retryAfterSeconds: cause.details.retryAfterSeconds ?? null,
      attemptsRemaining: cause.details.attemptsRemaining ?? null,
      usage: cause.details.usage ?? null,
    };
  }
  // Input validation only: an output failing its schema is the server's bug (INTERNAL).
  if (cause instanceof ZodError && error.code === 'BAD_REQUEST') {
    return {
      appCode: 'VALIDATION_FAILED',
      fieldErrors: toFieldErrors(cause.issues),
      retryAfterSeconds: null,
      attemptsRemaining: null,
      usage: null,
    };
  }
  return {
    appCode: appCodeForTrpc[error.code] ?? 'INTERNAL',
    fieldErrors: null,
    retryAfterSeconds: null,
    attemptsRemaining: null,
    usage: null,
  };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const data = appErrorData(error);
    // The message is the stable code: never a stack, SQL or an internal message.
    const { stack: _stack, ...rest } = shape.data;
    return { ...shape, message: data.appCode, data: { ...rest, ...data } };
  },
});

/**
 * Domain services throw AppError; it becomes a proper tRPC error here so the formatter sees the
 * right HTTP code. Anything else (including an output that fails its schema) stays INTERNAL.
 */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) throw asTrpcError(result.error.cause);
  if (!result.ok && isServiceUnavailable(result.error.cause))
    throw asUnavailable(result.error.cause);
  return result;
});

/**
 * A database (or cache) that cannot be reached is an outage, not a bug: a 503
 * SERVICE_UNAVAILABLE the client may retry. Anything else is returned as it was.
 */
function asUnavailable(err: unknown): unknown {
  return isServiceUnavailable(err)
    ? new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'SERVICE_UNAVAILABLE', cause: err })
    : err;
}

/**
 * An AppError as the tRPC error the formatter reads (ErrorKind names are tRPC's own codes).
 * Subscriptions need it themselves: what their generator throws bypasses the middleware.
 */
export function asTrpcError(err: unknown): unknown {
  return err instanceof AppError
    ? new TRPCError({ code: err.kind, message: err.code, cause: err })
    : err;
}
export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(mapErrors);

/**
 * Any live session, an administrator's even before the second factor. Only for the caller's own
 * identity (`auth.me`), so a client holding such a session can say who is signed in and lead
 * them through the sign-in again; everything else is on `protectedProcedure`.
 */
export const identityProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw ctx.authFailure ?? unauthenticated();
  return next({ ctx: { session: ctx.session, scope: scopeOf(ctx.session, ctx.meta) } });
});

/**
 * A signed-in caller whose session is live right now; `ctx.scope` is who they are. An
 * administrator's session counts only once it passed the second factor (a session from before
 * second factors existed gets SECOND_FACTOR_REQUIRED, so the client asks them to sign in again):
 * without it, a stolen password-era session could still change the password, the e-mail that
 * notifications go to, or end the administrator's other sessions.
 */
export const protectedProcedure = identityProcedure.use(({ ctx, next }) => {
  if (ctx.scope.role === 'admin' && !ctx.session.secondFactor)
    throw new AppError('FORBIDDEN', 'SECOND_FACTOR_REQUIRED');
  return next();
});

/** A doctor acting inside their workspace; `ctx.scope.workspaceId` scopes every tenant query. */
export const doctorProcedure = protectedProcedure.use(({ ctx, next }) => {
  const doctor = asDoctor(ctx.scope);
  if (!doctor) throw new TRPCError({ code: 'FORBIDDEN', message: 'FORBIDDEN' });
  return next({ ctx: { scope: doctor } });
});

/**
 * A doctor changing clinical data (patients, attachments, analyses): refused with
 * SUBSCRIPTION_INACTIVE once the workspace's subscription has ended, before anything is read or
 * written. Everything else an expired doctor does (reading, the account, paying) stays on
 * `doctorProcedure`.
 */
export const writableDoctorProcedure = doctorProcedure.use(async ({ ctx, next }) => {
  await ctx.services.subscriptions.assertWritable(ctx.scope);
  return next();
});

/**
 * An administrator whose session passed the second factor at sign-in (`protectedProcedure`
 * already refused one without it, with its own code).
 */
export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  const { scope } = ctx;
  if (scope.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'FORBIDDEN' });
  const admin: AdminScope = { ...scope, role: 'admin' };
  return next({ ctx: { scope: admin } });
});
