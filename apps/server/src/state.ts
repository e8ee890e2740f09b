import type { Logger, VerifyResult } from '@medora/core';

/** What the middleware chain leaves on `ctx.state` for the middleware further in. */
export interface AppState {
  requestId: string;
  log: Logger;
  /** Low-cardinality route name for metrics and logs (never the raw path). */
  route?: string;
  /** Set by the rate limiter on /trpc and /api: the verified user behind the bearer, if any. */
  callerUserId?: string | null;
  /** The rate limiter's check of the bearer's signature, reused by the session lookup. */
  verifiedToken?: { token: string; result: VerifyResult };
  /**
   * Why a middleware refused the request, for its (sampled) log line: a short fixed phrase, and
   * fields worth seeing; the timing middleware writes the line once the answer is sent.
   */
  refusal?: { reason: string; fields?: Record<string, unknown>; level?: 'info' | 'warn' };
  /** Set by koa-ratelimit when it refused the request. */
  rateLimit?: { after: number };
}
