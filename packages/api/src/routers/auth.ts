import { AppError, bearerToken, type IssuedSession } from '@medora/core';
import {
  changePasswordInput,
  idInput,
  loginInput,
  registerInput,
  updateProfileInput,
  type AuthOutput,
} from '@medora/schema';
import { protectedProcedure, publicProcedure, REFRESH_COOKIE, router, type Context } from '../trpc';

// Thin procedures: validate, call the auth service, shape the answer and the cookie.

/** httpOnly (no script can read it), SameSite=Strict, sent only to the tRPC endpoint. */
function refreshCookie(ctx: Context, value: string | null, expires?: Date): void {
  ctx.req.cookies.set(REFRESH_COOKIE, value, {
    httpOnly: true,
    secure: ctx.services.config.cookieSecure,
    sameSite: 'strict',
    path: '/trpc',
    ...(expires && { expires }),
  });
}

function setRefreshCookie(ctx: Context, issued: IssuedSession): AuthOutput {
  refreshCookie(ctx, issued.refreshToken, issued.refreshTokenExpiresAt);
  return {
    accessToken: issued.accessToken,
    accessTokenExpiresAt: issued.accessTokenExpiresAt,
    user: issued.user,
  };
}

function clearRefreshCookie(ctx: Context): void {
  refreshCookie(ctx, null);
}

export const authRouter = router({
  register: publicProcedure
    .input(registerInput)
    .mutation(async ({ ctx, input }) =>
      setRefreshCookie(ctx, await ctx.services.auth.register(input, ctx.req)),
    ),

  login: publicProcedure
    .input(loginInput)
    .mutation(async ({ ctx, input }) =>
      setRefreshCookie(ctx, await ctx.services.auth.login(input, ctx.req)),
    ),

  refresh: publicProcedure.mutation(async ({ ctx }) => {
    try {
      return setRefreshCookie(
        ctx,
        await ctx.services.auth.refresh(ctx.req.cookies.get(REFRESH_COOKIE), ctx.req),
      );
    } catch (e) {
      // A dead cookie is useless to the browser; a race loser keeps the cookie the winner set.
      if (!(e instanceof AppError && e.code === 'REFRESH_RACE')) clearRefreshCookie(ctx);
      throw e;
    }
  }),

  logout: publicProcedure.mutation(async ({ ctx }) => {
    const token = bearerToken(ctx.req.authorization);
    const session = token ? await ctx.services.auth.authenticate(token).catch(() => null) : null;
    await ctx.services.auth.logout(ctx.req.cookies.get(REFRESH_COOKIE), session, ctx.req);
    clearRefreshCookie(ctx);
    return { ok: true as const };
  }),

  me: protectedProcedure.query(({ ctx }) => ctx.services.auth.me(ctx.session)),

  updateProfile: protectedProcedure
    .input(updateProfileInput)
    .mutation(({ ctx, input }) => ctx.services.auth.updateProfile(ctx.session, input, ctx.req)),

  changePassword: protectedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    await ctx.services.auth.changePassword(ctx.session, input, ctx.req);
    return { ok: true as const };
  }),

  sessions: router({
    list: protectedProcedure.query(({ ctx }) => ctx.services.auth.listSessions(ctx.session)),
    revoke: protectedProcedure.input(idInput).mutation(async ({ ctx, input }) => {
      await ctx.services.auth.revokeSession(ctx.session, input.id, ctx.req);
      return { ok: true as const };
    }),
  }),
});
