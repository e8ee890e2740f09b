import {
  AppError,
  bearerToken,
  type RequestMeta,
  type Services,
  type SessionContext,
} from '@medora/core';
import { toFieldErrors, type AppErrorCode, type FieldErrors } from '@medora/schema';
import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import superjson from 'superjson';
import { ZodError } from 'zod';

export const REFRESH_COOKIE = 'medora_rt';

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

export interface RequestInfo extends RequestMeta {
  authorization: string | null;
  cookies: CookieJar;
}

/**
 * The inner context: everything a procedure may touch. Tests and scripts build it directly;
 * the server builds it from the Koa request.
 */
export interface Context {
  services: Services;
  req: RequestInfo;
}

export function createInnerContext(services: Services, req: RequestInfo): Context {
  return { services, req };
}

const appCodeForTrpc: Partial<Record<TRPC_ERROR_CODE_KEY, AppErrorCode>> = {
  PARSE_ERROR: 'VALIDATION_FAILED',
  BAD_REQUEST: 'VALIDATION_FAILED',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  METHOD_NOT_SUPPORTED: 'VALIDATION_FAILED',
  UNSUPPORTED_MEDIA_TYPE: 'VALIDATION_FAILED',
};

export interface AppErrorData {
  appCode: AppErrorCode;
  fieldErrors: FieldErrors | null;
  retryAfterSeconds: number | null;
  attemptsRemaining: number | null;
}

export function appErrorData(error: TRPCError): AppErrorData {
  const cause = error.cause;
  if (cause instanceof AppError) {
    return {
      appCode: cause.code,
      fieldErrors: cause.details.fieldErrors ?? null,
      retryAfterSeconds: cause.details.retryAfterSeconds ?? null,
      attemptsRemaining: cause.details.attemptsRemaining ?? null,
    };
  }
  if (cause instanceof ZodError) {
    return {
      appCode: 'VALIDATION_FAILED',
      fieldErrors: toFieldErrors(cause.issues),
      retryAfterSeconds: null,
      attemptsRemaining: null,
    };
  }
  return {
    appCode: appCodeForTrpc[error.code] ?? 'INTERNAL',
    fieldErrors: null,
    retryAfterSeconds: null,
    attemptsRemaining: null,
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
 * Domain services throw AppError; a ZodError escaping a service means its own parse refused the
 * input. Both become proper tRPC errors here so the formatter sees the right HTTP code.
 */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError)
      // ErrorKind names are tRPC's own codes.
      throw new TRPCError({ code: cause.kind, message: cause.code, cause });
    if (cause instanceof ZodError && result.error.code === 'INTERNAL_SERVER_ERROR') {
      throw new TRPCError({ code: 'BAD_REQUEST', message: 'VALIDATION_FAILED', cause });
    }
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(mapErrors);

/** A signed-in caller whose session is live right now. */
export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const token = bearerToken(ctx.req.authorization);
  if (!token) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'UNAUTHENTICATED' });
  const session: SessionContext = await ctx.services.auth.authenticate(token);
  return next({ ctx: { session } });
});

/** A doctor acting inside their workspace; every query below scopes by `ctx.workspaceId`. */
export const doctorProcedure = protectedProcedure.use(({ ctx, next }) => {
  const { workspaceId } = ctx.session;
  if (ctx.session.role !== 'doctor' || !workspaceId) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'FORBIDDEN' });
  }
  return next({ ctx: { workspaceId } });
});

export const adminProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.session.role !== 'admin')
    throw new TRPCError({ code: 'FORBIDDEN', message: 'FORBIDDEN' });
  return next();
});
