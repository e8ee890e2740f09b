import type { IssuedSession, SignedIn } from '@medora/core';
import {
  authOutput,
  changePasswordInput,
  idInput,
  loginInput,
  loginOutput,
  meOutput,
  okOutput,
  refreshOutput,
  registerInput,
  sessionOutput,
  totpEnrolFinishInput,
  totpEnrolFinishOutput,
  totpEnrolStartInput,
  totpEnrolStartOutput,
  updateProfileInput,
  userOutput,
  verifyTotpInput,
  type AuthOutput,
} from '@medora/schema';
import { z } from 'zod';
import {
  authCookies,
  identityProcedure,
  protectedProcedure,
  publicProcedure,
  router,
  type Context,
} from '../trpc';

// Thin procedures: validate, call a core service, shape the answer and the cookies.

type AuthCookie = 'refresh' | 'device';

const cookiesOf = (ctx: Context) => authCookies(ctx.services.config.cookieSecure);

function getCookie(ctx: Context, which: AuthCookie): string | undefined {
  return ctx.cookies?.get(cookiesOf(ctx)[which]);
}

/** httpOnly (no script can read them), SameSite=Strict; names and path from `authCookies`. */
function setCookie(ctx: Context, which: AuthCookie, value: string | null, expires?: Date): void {
  const names = cookiesOf(ctx);
  ctx.cookies?.set(names[which], value, {
    httpOnly: true,
    secure: ctx.services.config.cookieSecure,
    sameSite: 'strict',
    path: names.path,
    ...(expires && { expires }),
  });
}

function session(ctx: Context, issued: IssuedSession): AuthOutput {
  setCookie(ctx, 'refresh', issued.refreshToken, issued.refreshTokenExpiresAt);
  return {
    accessToken: issued.accessToken,
    accessTokenExpiresAt: issued.accessTokenExpiresAt,
    user: issued.user,
  };
}

function signedIn(ctx: Context, result: SignedIn): AuthOutput {
  setCookie(ctx, 'device', result.device.token, result.device.expiresAt);
  return session(ctx, result.issued);
}

export const authRouter = router({
  register: publicProcedure
    .input(registerInput)
    .output(authOutput)
    .mutation(async ({ ctx, input }) =>
      signedIn(ctx, await ctx.services.credentials.register(ctx.meta, input)),
    ),

  /** Tokens; or, for an administrator, a challenge for the second factor (no session yet). */
  login: publicProcedure
    .input(loginInput)
    .output(loginOutput)
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.services.credentials.login(
        ctx.meta,
        input,
        getCookie(ctx, 'device'),
      );
      if (result.kind === 'second_factor')
        return { secondFactor: result.secondFactor, challenge: result.challenge };
      return signedIn(ctx, result);
    }),

  /** Completes an administrator's sign-in with an authenticator code or a recovery code. */
  verifyTotp: publicProcedure
    .input(verifyTotpInput)
    .output(authOutput)
    .mutation(async ({ ctx, input }) =>
      signedIn(
        ctx,
        await ctx.services.secondFactor.verify(ctx.meta, input, getCookie(ctx, 'device')),
      ),
    ),

  /** First sign-in of an administrator without an authenticator: a new secret, shown once. */
  totpEnrolStart: publicProcedure
    .input(totpEnrolStartInput)
    .output(totpEnrolStartOutput)
    .mutation(({ ctx, input }) => ctx.services.secondFactor.enrolStart(ctx.meta, input)),

  /** Confirms the new secret with a code: signed in, with recovery codes shown this once. */
  totpEnrolFinish: publicProcedure
    .input(totpEnrolFinishInput)
    .output(totpEnrolFinishOutput)
    .mutation(async ({ ctx, input }) => {
      const result = await ctx.services.secondFactor.enrolFinish(
        ctx.meta,
        input,
        getCookie(ctx, 'device'),
      );
      return { ...signedIn(ctx, result), recoveryCodes: result.recoveryCodes };
    }),

  /** Signed out is an answer, not an error: `session` is null and the reason says why. */
  refresh: publicProcedure.output(refreshOutput).mutation(async ({ ctx }) => {
    const result = await ctx.services.sessions.refresh(getCookie(ctx, 'refresh'), ctx.meta);
    if (result.kind === 'ok')
      return { session: session(ctx, result.issued), signedOutReason: null };
    // A dead cookie is useless to the browser. (A race loser throws and keeps the cookie the
    // winner set.)
    if (getCookie(ctx, 'refresh') !== undefined) setCookie(ctx, 'refresh', null);
    return { session: null, signedOutReason: result.reason };
  }),

  logout: publicProcedure.output(okOutput).mutation(async ({ ctx }) => {
    await ctx.services.credentials.logout(ctx.meta, getCookie(ctx, 'refresh'), ctx.session);
    setCookie(ctx, 'refresh', null);
    return { ok: true as const };
  }),

  me: identityProcedure.output(meOutput).query(({ ctx }) => ctx.services.profile.me(ctx.session)),

  updateProfile: protectedProcedure
    .input(updateProfileInput)
    .output(userOutput)
    .mutation(({ ctx, input }) => ctx.services.profile.update(ctx.scope, input)),

  changePassword: protectedProcedure
    .input(changePasswordInput)
    .output(okOutput)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.credentials.changePassword(ctx.scope, input);
      return { ok: true as const };
    }),

  sessions: router({
    list: protectedProcedure
      .output(z.array(sessionOutput))
      .query(({ ctx }) => ctx.services.sessions.list(ctx.scope)),
    revoke: protectedProcedure
      .input(idInput)
      .output(okOutput)
      .mutation(async ({ ctx, input }) => {
        await ctx.services.sessions.revoke(ctx.scope, input.id);
        return { ok: true as const };
      }),
  }),
});
