import { randomBytes } from 'node:crypto';
import {
  addJob,
  hashPassword,
  notify,
  signAccessToken,
  signChallenge,
  type ChallengePurpose,
} from '@medora/core';
import { sql } from 'kysely';
import { enrolTotp, signInDirectly, type TestDoctor, type TestUser } from '@medora/core/testing';
import { generate } from 'otplib';
import {
  accessLogOutput,
  adminAuditListOutput,
  adminJobsOverviewOutput,
  adminOverviewOutput,
  adminUserListOutput,
  adminUserOutput,
  analysisListOutput,
  analysisOutput,
  analysisStatsOutput,
  analysisStatusEvent,
  authOutput,
  createAdminInput,
  fileListOutput,
  loginOutput,
  patientListOutput,
  patientOutput,
  meOutput,
  notificationListOutput,
  notificationUnreadCountOutput,
  okOutput,
  refreshOutput,
  sessionOutput,
  totpEnrolFinishOutput,
  totpEnrolStartOutput,
  userOutput,
  adminPaymentListOutput,
  adminPaymentOutput,
  adminPlanListOutput,
  adminWorkspaceExtendOutput,
  paymentListOutput,
  paymentOutput,
  planOutput,
  plansOutput,
  subscriptionCurrentOutput,
  type AppErrorCode,
} from '@medora/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { appRouter, REFRESH_COOKIE } from '../src/index';
import {
  adminProcedure,
  createCallerFactory,
  doctorProcedure,
  router,
  createInnerContext,
} from '../src/trpc';
import {
  createHarness,
  failure,
  freshPhone,
  PASSWORD,
  type Agent,
  type Caller,
  type Harness,
} from './harness';

/**
 * Every procedure, called as each kind of caller. A new procedure without a row fails the
 * completeness check below, so access rules are decided, not inherited by accident.
 *
 *   'ok'    the call succeeds and its answer has the procedure's output shape
 *   other   the tRPC error code the call must fail with
 *
 * Each cell gets a fresh world: doctor A (the owner of every id a call names), and the caller.
 * Doctor B belongs to another workspace and must get NOT_FOUND for A's ids, never FORBIDDEN.
 * `adminNoSecondFactor` is an administrator whose session never passed the second factor (as
 * sessions from before second factors existed): it gets the public procedures, the second-factor
 * steps and its own identity (`auth.me`), and nothing else an administrator gets.
 */
const callers = [
  'anonymous',
  'doctorA',
  'doctorB',
  'expiredDoctor',
  'deactivated',
  'adminNoSecondFactor',
  'admin',
] as const;
type CallerKind = (typeof callers)[number];
type ErrorOutcome = 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'BAD_REQUEST';
/** 'ok', a tRPC error code, or `CODE:APP_CODE` when the app code matters as well. */
type Outcome = 'ok' | ErrorOutcome | `${ErrorOutcome}:${AppErrorCode}`;

/** The ids of doctor A's records, for calls that name one. */
interface Ids {
  /** Doctor A's user id. */
  userId: string;
  sessionId: string;
  patientId: string;
  fileId: string;
  /** A completed analysis of A's patient. */
  analysisId: string;
  /** The first condition of its report. */
  conditionCode: string;
  // Billing: A's workspace, its pending payment and that payment's receipt, a plan to buy.
  workspaceId: string;
  paymentId: string;
  receiptFileId: string;
  planId: string;
}

interface Who extends Agent {
  user: TestUser | null;
}

interface Row {
  call: (c: Caller, who: Who, ids: Ids) => Promise<unknown>;
  /** The answer's shape for 'ok' cells. */
  output: z.ZodType;
  expect: Record<CallerKind, Outcome>;
  /** What a successful answer must show the caller, where it depends on who calls. */
  check?: Partial<Record<CallerKind, (output: never, who: Who, ids: Ids) => void | Promise<void>>>;
}

const signedIn = { anonymous: 'UNAUTHORIZED', deactivated: 'UNAUTHORIZED' } as const;
/** Refused to an administrator until the second factor, whatever the procedure. */
const noSecondFactor = 'FORBIDDEN:SECOND_FACTOR_REQUIRED';
/** Any fully signed-in caller: an administrator counts only after the second factor. */
const everyoneSignedIn = {
  ...signedIn,
  adminNoSecondFactor: noSecondFactor,
  doctorA: 'ok',
  doctorB: 'ok',
  expiredDoctor: 'ok',
  admin: 'ok',
} as const;

/** Doctor-only procedures on the caller's own workspace. */
const doctorsOnly = {
  ...signedIn,
  doctorA: 'ok',
  doctorB: 'ok',
  expiredDoctor: 'ok',
  adminNoSecondFactor: 'FORBIDDEN',
  admin: 'FORBIDDEN',
} as const;
/**
 * Doctor-only changes to clinical data on the caller's own workspace: an expired workspace is
 * read-only (SUBSCRIPTION_INACTIVE), whatever it names.
 */
const writersOnly = {
  ...signedIn,
  doctorA: 'ok',
  doctorB: 'ok',
  expiredDoctor: 'FORBIDDEN:SUBSCRIPTION_INACTIVE',
  adminNoSecondFactor: 'FORBIDDEN',
  admin: 'FORBIDDEN',
} as const;
/** The same on doctor A's records: another live workspace never sees them. */
const ownerWritesOnly = {
  ...signedIn,
  doctorA: 'ok',
  doctorB: 'NOT_FOUND',
  expiredDoctor: 'FORBIDDEN:SUBSCRIPTION_INACTIVE',
  adminNoSecondFactor: 'FORBIDDEN',
  admin: 'FORBIDDEN',
} as const;
/** Doctor-only procedures on doctor A's records: anyone else's workspace never sees them. */
const ownerOnly = {
  ...signedIn,
  doctorA: 'ok',
  doctorB: 'NOT_FOUND',
  expiredDoctor: 'NOT_FOUND',
  adminNoSecondFactor: 'FORBIDDEN',
  admin: 'FORBIDDEN',
} as const;

/** The second-factor steps: only an administrator's challenge gets anywhere. */
const secondFactorOnly = {
  anonymous: 'UNAUTHORIZED',
  doctorA: 'UNAUTHORIZED',
  doctorB: 'UNAUTHORIZED',
  expiredDoctor: 'UNAUTHORIZED',
  deactivated: 'UNAUTHORIZED',
  adminNoSecondFactor: 'ok',
  admin: 'ok',
} as const;

/**
 * A challenge as each caller can come by one: an administrator's from signing in with the
 * password; a doctor's signed for their own account (as if the server had issued one, which it
 * never does); an anonymous caller's made up.
 */
async function challengeFor(c: Caller, who: Who, purpose: ChallengePurpose): Promise<string> {
  if (!who.user) return 'not-a-challenge';
  if (who.user.role === 'admin') {
    const res = await c.auth.login({ phone: who.user.phone, password: PASSWORD });
    if (!('secondFactor' in res) || res.secondFactor !== purpose)
      throw new Error(`expected a ${purpose} challenge`);
    return res.challenge;
  }
  const row = await h.t.db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', who.user.userId)
    .executeTakeFirstOrThrow();
  return signChallenge(
    purpose,
    { id: who.user.userId, passwordHash: row.password_hash },
    h.services.config.tokenSecret,
  );
}

/** Admin console procedures: every doctor is refused, whoever's records they name. */
const adminsOnly = {
  ...signedIn,
  doctorA: 'FORBIDDEN',
  doctorB: 'FORBIDDEN',
  expiredDoctor: 'FORBIDDEN',
  adminNoSecondFactor: noSecondFactor,
  admin: 'ok',
} as const;

const matrix: Record<string, Row> = {
  'auth.register': {
    call: (c) =>
      c.auth.register({ phone: freshPhone(), name: 'Yangi Shifokor', password: PASSWORD }),
    output: authOutput,
    expect: {
      anonymous: 'ok',
      doctorA: 'ok',
      doctorB: 'ok',
      expiredDoctor: 'ok',
      deactivated: 'ok',
      adminNoSecondFactor: 'ok',
      admin: 'ok',
    },
    check: {
      anonymous: (out: z.infer<typeof authOutput>) => expect(out.user.role).toBe('doctor'),
    },
  },
  'auth.login': {
    call: (c, who) => c.auth.login({ phone: who.user?.phone ?? freshPhone(), password: PASSWORD }),
    output: loginOutput,
    // Signing in again is how a session without the second factor gets one.
    expect: { ...everyoneSignedIn, adminNoSecondFactor: 'ok' },
    check: {
      doctorA: (out: z.infer<typeof authOutput>, who) => expect(out.user.id).toBe(who.user!.userId),
      // An administrator gets no tokens from the password alone; this one has no authenticator.
      admin: (out: z.infer<typeof loginOutput>) => {
        expect('secondFactor' in out && out.secondFactor).toBe('totp_enrol');
        expect('challenge' in out && out.challenge.length).toBeGreaterThan(20);
      },
      adminNoSecondFactor: (out: z.infer<typeof loginOutput>) =>
        expect('secondFactor' in out && out.secondFactor).toBe('totp_enrol'),
    },
  },
  // Public, but only an administrator's own challenge opens them: anyone else's is refused.
  'auth.verifyTotp': {
    call: async (c, who) => {
      const secret = who.user?.role === 'admin' ? await enrolTotp(h.services, who.user) : null;
      const challenge = await challengeFor(c, who, 'totp');
      return c.auth.verifyTotp({
        challenge,
        code: secret ? await generate({ secret }) : '123456',
      });
    },
    output: authOutput,
    expect: secondFactorOnly,
    check: { admin: (out: z.infer<typeof authOutput>) => expect(out.user.role).toBe('admin') },
  },
  'auth.totpEnrolStart': {
    call: async (c, who) =>
      c.auth.totpEnrolStart({ challenge: await challengeFor(c, who, 'totp_enrol') }),
    output: totpEnrolStartOutput,
    expect: secondFactorOnly,
  },
  'auth.totpEnrolFinish': {
    call: async (c, who) => {
      const challenge = await challengeFor(c, who, 'totp_enrol');
      const started =
        who.user?.role === 'admin' ? await c.auth.totpEnrolStart({ challenge }) : null;
      return c.auth.totpEnrolFinish({
        challenge,
        code: started ? await generate({ secret: started.secret }) : '123456',
      });
    },
    output: totpEnrolFinishOutput,
    expect: secondFactorOnly,
    check: {
      admin: (out: z.infer<typeof totpEnrolFinishOutput>) =>
        expect(out.recoveryCodes).toHaveLength(10),
    },
  },
  'auth.refresh': {
    call: (c) => c.auth.refresh(),
    output: refreshOutput,
    // Signed out is an answer, not an error.
    expect: {
      anonymous: 'ok',
      doctorA: 'ok',
      doctorB: 'ok',
      expiredDoctor: 'ok',
      deactivated: 'ok',
      adminNoSecondFactor: 'ok',
      admin: 'ok',
    },
    check: {
      anonymous: (out: z.infer<typeof refreshOutput>) =>
        expect(out).toEqual({ session: null, signedOutReason: null }),
      doctorA: (out: z.infer<typeof refreshOutput>, who) =>
        expect(out.session?.user.id).toBe(who.user!.userId),
      deactivated: (out: z.infer<typeof refreshOutput>) =>
        expect(out).toEqual({ session: null, signedOutReason: 'account_disabled' }),
      // Refreshing keeps the family as it is: still no second factor, still nothing of an admin's.
      adminNoSecondFactor: async (out: z.infer<typeof refreshOutput>, who) => {
        expect(out.session?.user.role).toBe('admin');
        who.token = out.session!.accessToken;
        expect(await failure(who.caller.admin.stats.overview())).toMatchObject({
          code: 'FORBIDDEN',
          appCode: 'SECOND_FACTOR_REQUIRED',
        });
      },
    },
  },
  'auth.logout': {
    call: (c) => c.auth.logout(),
    output: okOutput,
    check: {
      // The session is over: the cookie is gone and the access token no longer works.
      doctorA: async (_out, who) => {
        expect(who.jar.refreshToken).toBeUndefined();
        expect((await failure(who.caller.auth.me())).code).toBe('UNAUTHORIZED');
      },
    },
    expect: {
      anonymous: 'ok',
      doctorA: 'ok',
      doctorB: 'ok',
      expiredDoctor: 'ok',
      deactivated: 'ok',
      adminNoSecondFactor: 'ok',
      admin: 'ok',
    },
  },
  'auth.me': {
    call: (c) => c.auth.me(),
    output: meOutput,
    // Its own identity only: the client can say who is signed in and ask for the second factor.
    expect: { ...everyoneSignedIn, adminNoSecondFactor: 'ok' },
    check: {
      doctorA: (out: z.infer<typeof meOutput>, who) => {
        expect(out.user.id).toBe(who.user!.userId);
        expect(out.workspace?.id).toBe((who.user as TestDoctor).workspaceId);
        expect(out.subscription?.status).toBe('trialing');
      },
      // An expired doctor keeps reading their account; the dashboard says it has ended.
      expiredDoctor: (out: z.infer<typeof meOutput>) => {
        expect(out.subscription).toMatchObject({ status: 'expired', daysLeft: 0 });
      },
      admin: (out: z.infer<typeof meOutput>) =>
        expect(out).toMatchObject({ user: { role: 'admin' }, workspace: null, subscription: null }),
      adminNoSecondFactor: (out: z.infer<typeof meOutput>, who) =>
        expect(out).toMatchObject({ user: { id: who.user!.userId, role: 'admin' } }),
    },
  },
  'auth.updateProfile': {
    call: (c) => c.auth.updateProfile({ locale: 'ru' }),
    output: userOutput,
    expect: { ...everyoneSignedIn },
    check: { doctorA: (out: z.infer<typeof userOutput>) => expect(out.locale).toBe('ru') },
  },
  'auth.changePassword': {
    call: (c) =>
      c.auth.changePassword({ currentPassword: PASSWORD, newPassword: 'Boshqa-parol-91' }),
    output: okOutput,
    expect: { ...everyoneSignedIn },
    check: {
      doctorA: async (_out, who) => {
        const fresh = h.agent();
        await expect(
          fresh.caller.auth.login({ phone: who.user!.phone, password: 'Boshqa-parol-91' }),
        ).resolves.toMatchObject({ user: { id: who.user!.userId } });
      },
    },
  },
  'auth.sessions.list': {
    call: (c) => c.auth.sessions.list(),
    output: z.array(sessionOutput),
    expect: { ...everyoneSignedIn },
    check: {
      // Only the caller's own sessions, never doctor A's.
      doctorB: (out: z.infer<typeof sessionOutput>[], _who, ids) => {
        expect(out).toHaveLength(1);
        expect(out.map((s) => s.id)).not.toContain(ids.sessionId);
      },
      doctorA: (out: z.infer<typeof sessionOutput>[], _who, ids) =>
        expect(out).toEqual([expect.objectContaining({ id: ids.sessionId, current: true })]),
    },
  },
  'auth.sessions.revoke': {
    // Doctor A's session: theirs to end; for anyone else its existence must not leak.
    call: (c, _who, ids) => c.auth.sessions.revoke({ id: ids.sessionId }),
    output: okOutput,
    check: {
      doctorA: async (_out, who) =>
        expect((await failure(who.caller.auth.me())).code).toBe('UNAUTHORIZED'),
    },
    expect: {
      ...signedIn,
      doctorA: 'ok',
      doctorB: 'NOT_FOUND',
      expiredDoctor: 'NOT_FOUND',
      adminNoSecondFactor: noSecondFactor,
      admin: 'NOT_FOUND',
    },
  },

  'patient.list': {
    call: (c) => c.patient.list({}),
    output: patientListOutput,
    expect: { ...doctorsOnly },
    check: {
      doctorA: (out: z.infer<typeof patientListOutput>, _who, ids) =>
        expect(out.items.map((p) => p.id)).toEqual([ids.patientId]),
      // Another workspace sees none of A's patients, by list or by search.
      doctorB: async (out: z.infer<typeof patientListOutput>, who) => {
        expect(out).toEqual({ items: [], total: 0, totalCapped: false, nextCursor: null });
        const found = await who.caller.patient.list({ search: 'Shukurov' });
        expect(found.total).toBe(0);
      },
    },
  },
  'patient.get': {
    call: (c, _who, ids) => c.patient.get({ id: ids.patientId }),
    output: patientOutput,
    expect: { ...ownerOnly },
    check: {
      doctorA: (out: z.infer<typeof patientOutput>, _who, ids) =>
        expect(out).toMatchObject({ id: ids.patientId, lastName: 'Shukurov' }),
    },
  },
  'patient.create': {
    call: (c) =>
      c.patient.create({ firstName: 'Gulom', lastName: 'Karimov', sex: 'male', ageYears: 40 }),
    output: patientOutput,
    expect: { ...writersOnly },
    check: {
      doctorB: (out: z.infer<typeof patientOutput>) =>
        expect(out).toMatchObject({ firstName: 'Gulom', ageYears: 40, ageIsApproximate: true }),
    },
  },
  'patient.update': {
    call: (c, _who, ids) => c.patient.update({ id: ids.patientId, notes: 'Nazoratda' }),
    output: patientOutput,
    expect: { ...ownerWritesOnly },
    check: {
      doctorA: (out: z.infer<typeof patientOutput>) => expect(out.notes).toBe('Nazoratda'),
    },
  },
  'patient.archive': {
    call: (c, _who, ids) => c.patient.archive({ id: ids.patientId }),
    output: patientOutput,
    expect: { ...ownerWritesOnly },
    check: {
      doctorA: (out: z.infer<typeof patientOutput>) => expect(out.archivedAt).toBeInstanceOf(Date),
    },
  },
  'patient.restore': {
    call: async (c, _who, ids) => {
      await h.t.db
        .updateTable('patients')
        .set({ archived_at: new Date() })
        .where('id', '=', ids.patientId)
        .execute();
      return c.patient.restore({ id: ids.patientId });
    },
    output: patientOutput,
    expect: { ...ownerWritesOnly },
    check: {
      doctorA: (out: z.infer<typeof patientOutput>) => expect(out.archivedAt).toBeNull(),
    },
  },
  'patient.accessLog': {
    call: (c, _who, ids) => c.patient.accessLog({ id: ids.patientId }),
    output: accessLogOutput,
    expect: { ...ownerOnly },
    check: {
      // The file attached in the world setup shows as its upload, the analysis as recorded.
      doctorA: (out: z.infer<typeof accessLogOutput>, _who, ids) =>
        expect(out.items.map((e) => [e.action, e.fileId])).toEqual([
          ['analysis.create', null],
          ['file.upload', ids.fileId],
        ]),
    },
  },
  'file.list': {
    call: (c, _who, ids) => c.file.list({ patientId: ids.patientId }),
    output: fileListOutput,
    expect: { ...ownerOnly },
    check: {
      doctorA: (out: z.infer<typeof fileListOutput>, _who, ids) =>
        expect(out.items.map((f) => f.id)).toEqual([ids.fileId]),
    },
  },
  'file.delete': {
    call: (c, _who, ids) => c.file.delete({ id: ids.fileId }),
    output: okOutput,
    expect: { ...ownerOnly },
    check: {
      doctorA: async (_out, who, ids) =>
        expect((await who.caller.file.list({ patientId: ids.patientId })).items).toEqual([]),
    },
  },
  'analysis.create': {
    call: (c, _who, ids) =>
      c.analysis.create({
        patientId: ids.patientId,
        complaints: 'Holsizlik',
        labs: [{ code: 'hemoglobin', value: 100, unit: 'g/L' }],
        idempotencyKey: randomBytes(12).toString('hex'),
      }),
    output: analysisOutput,
    // Doctor A's patient: nobody else's workspace can analyse it; an expired one analyses nothing.
    expect: { ...ownerWritesOnly },
    check: {
      doctorA: (out: z.infer<typeof analysisOutput>, _who, ids) =>
        expect(out).toMatchObject({ patientId: ids.patientId, status: 'queued' }),
    },
  },
  'analysis.get': {
    call: (c, _who, ids) => c.analysis.get({ id: ids.analysisId }),
    output: analysisOutput,
    expect: { ...ownerOnly },
    check: {
      doctorA: (out: z.infer<typeof analysisOutput>) => expect(out.status).toBe('completed'),
    },
  },
  'analysis.status': {
    call: (c, _who, ids) => c.analysis.status({ id: ids.analysisId }),
    output: analysisStatusEvent,
    expect: { ...ownerOnly },
  },
  'analysis.onStatus': {
    // The stream of a completed analysis: its status, then the end.
    call: async (c, _who, ids) => {
      const seen: unknown[] = [];
      for await (const e of await c.analysis.onStatus({ id: ids.analysisId })) seen.push(e);
      return seen;
    },
    output: z.array(analysisStatusEvent),
    expect: { ...ownerOnly },
    check: {
      doctorA: (out: z.infer<typeof analysisStatusEvent>[], _who, ids) =>
        expect(out).toEqual([{ id: ids.analysisId, status: 'completed', failureReason: null }]),
    },
  },
  'analysis.list': {
    call: (c) => c.analysis.list({}),
    output: analysisListOutput,
    expect: { ...doctorsOnly },
    check: {
      doctorA: (out: z.infer<typeof analysisListOutput>, _who, ids) =>
        expect(out.items.map((i) => i.id)).toEqual([ids.analysisId]),
      doctorB: (out: z.infer<typeof analysisListOutput>) => expect(out.items).toEqual([]),
    },
  },
  'analysis.feedback': {
    call: (c, _who, ids) =>
      c.analysis.feedback({
        id: ids.analysisId,
        conditionCode: ids.conditionCode,
        verdict: 'more_likely',
      }),
    output: analysisOutput,
    expect: { ...ownerWritesOnly },
  },
  'analysis.stats': {
    call: (c) => c.analysis.stats(),
    output: analysisStatsOutput,
    expect: { ...doctorsOnly },
    check: {
      doctorA: (out: z.infer<typeof analysisStatsOutput>) => expect(out.total).toBe(1),
      doctorB: (out: z.infer<typeof analysisStatsOutput>) => expect(out.total).toBe(0),
    },
  },
  'admin.stats.overview': {
    call: (c) => c.admin.stats.overview(),
    output: adminOverviewOutput,
    expect: { ...adminsOnly },
  },
  'admin.user.list': {
    call: (c) => c.admin.user.list({}),
    output: adminUserListOutput,
    expect: { ...adminsOnly },
  },
  'admin.user.get': {
    // The admin reads doctor A's account: counts only, never names of patients.
    call: (c, _who, ids) => c.admin.user.get({ id: ids.userId }),
    output: adminUserOutput,
    expect: { ...adminsOnly },
    check: {
      admin: (out: z.infer<typeof adminUserOutput>) =>
        expect(out).toMatchObject({ patients: 1, analyses: 1 }),
    },
  },
  'admin.user.setActive': {
    call: (c, _who, ids) => c.admin.user.setActive({ id: ids.userId, active: true }),
    output: adminUserOutput,
    expect: { ...adminsOnly },
  },
  'admin.audit.list': {
    call: (c) => c.admin.audit.list({}),
    output: adminAuditListOutput,
    expect: { ...adminsOnly },
  },

  // ---- Notifications: per user (any signed-in caller sees only their own) ----
  'notification.list': {
    call: async (c, _who, ids) => {
      await notifyUser(ids.userId);
      return c.notification.list({});
    },
    output: notificationListOutput,
    expect: { ...everyoneSignedIn },
    check: {
      doctorA: (out: z.infer<typeof notificationListOutput>) =>
        expect(out.items.map((n) => n.kind)).toEqual(['payment_rejected']),
      // Doctor A's notification is theirs alone.
      doctorB: (out: z.infer<typeof notificationListOutput>) => expect(out.items).toEqual([]),
      admin: (out: z.infer<typeof notificationListOutput>) => expect(out.items).toEqual([]),
    },
  },
  'notification.markRead': {
    call: async (c, _who, ids) => c.notification.markRead({ id: await notifyUser(ids.userId) }),
    output: notificationUnreadCountOutput,
    expect: {
      ...signedIn,
      doctorA: 'ok',
      doctorB: 'NOT_FOUND',
      expiredDoctor: 'NOT_FOUND',
      adminNoSecondFactor: noSecondFactor,
      admin: 'NOT_FOUND',
    },
    check: {
      doctorA: (out: z.infer<typeof notificationUnreadCountOutput>) =>
        expect(out).toEqual({ count: 0 }),
    },
  },
  'notification.unreadCount': {
    call: async (c, _who, ids) => {
      await notifyUser(ids.userId);
      return c.notification.unreadCount();
    },
    output: notificationUnreadCountOutput,
    expect: { ...everyoneSignedIn },
    check: {
      doctorA: (out: z.infer<typeof notificationUnreadCountOutput>) =>
        expect(out).toEqual({ count: 1 }),
      doctorB: (out: z.infer<typeof notificationUnreadCountOutput>) =>
        expect(out).toEqual({ count: 0 }),
    },
  },
  // ---- end of notifications ----
  // ------------------------------------------------------------------------------------------
  // Billing: plans, the subscription, receipt payments and their review.
  'subscription.plans': {
    call: (c) => c.subscription.plans(),
    output: plansOutput,
    // Public: the prices show before sign-up (a refused token does not stop a public call).
    expect: {
      anonymous: 'ok',
      doctorA: 'ok',
      doctorB: 'ok',
      expiredDoctor: 'ok',
      deactivated: 'ok',
      adminNoSecondFactor: 'ok',
      admin: 'ok',
    },
    check: {
      anonymous: (out: z.infer<typeof plansOutput>) =>
        expect(out.some((p) => p.isTrial)).toBe(false),
    },
  },
  'subscription.current': {
    call: (c) => c.subscription.current(),
    output: subscriptionCurrentOutput,
    expect: { ...doctorsOnly },
    check: {
      doctorA: (out: z.infer<typeof subscriptionCurrentOutput>, _who, ids) =>
        expect(out).toMatchObject({
          status: 'trialing',
          canAnalyze: true,
          pendingPayment: { id: ids.paymentId },
        }),
      doctorB: (out: z.infer<typeof subscriptionCurrentOutput>) =>
        expect(out.pendingPayment).toBeNull(),
      expiredDoctor: (out: z.infer<typeof subscriptionCurrentOutput>) =>
        expect(out).toMatchObject({ status: 'expired', canAnalyze: false, daysLeft: 0 }),
    },
  },
  'payment.submitReceipt': {
    // A receipt of the caller's own workspace (doctor A's for callers without one).
    call: async (c, who, ids) =>
      c.payment.submitReceipt({
        planId: ids.planId,
        receiptFileId:
          who.user && 'workspaceId' in who.user
            ? await receiptOf(who.user as TestDoctor)
            : ids.receiptFileId,
      }),
    output: paymentOutput,
    // A already has a pending payment; an expired workspace may pay (that is how it gets back).
    expect: {
      ...signedIn,
      doctorA: 'CONFLICT:PAYMENT_PENDING_EXISTS',
      doctorB: 'ok',
      expiredDoctor: 'ok',
      adminNoSecondFactor: 'FORBIDDEN',
      admin: 'FORBIDDEN',
    },
    check: {
      doctorB: async (out: z.infer<typeof paymentOutput>, who, ids) => {
        expect(out).toMatchObject({ status: 'pending', plan: { id: ids.planId } });
        // A's receipt is not B's to submit.
        expect(
          (
            await failure(
              who.caller.payment.submitReceipt({
                planId: ids.planId,
                receiptFileId: ids.receiptFileId,
              }),
            )
          ).fieldErrors,
        ).toEqual({ receiptFileId: ['payment.receipt_invalid'] });
      },
    },
  },
  'payment.list': {
    call: (c) => c.payment.list({}),
    output: paymentListOutput,
    expect: { ...doctorsOnly },
    check: {
      doctorA: (out: z.infer<typeof paymentListOutput>, _who, ids) =>
        expect(out.items.map((p) => p.id)).toEqual([ids.paymentId]),
      doctorB: (out: z.infer<typeof paymentListOutput>) => expect(out.items).toEqual([]),
    },
  },
  'admin.payment.list': {
    call: (c) => c.admin.payment.list({ status: 'pending' }),
    output: adminPaymentListOutput,
    expect: { ...adminsOnly },
  },
  'admin.payment.get': {
    call: (c, _who, ids) => c.admin.payment.get({ id: ids.paymentId }),
    output: adminPaymentOutput,
    expect: { ...adminsOnly },
    check: {
      admin: (out: z.infer<typeof adminPaymentOutput>, _who, ids) =>
        expect(out.receipt).toMatchObject({
          fileId: ids.receiptFileId,
          url: `/api/admin/payments/${ids.paymentId}/receipt`,
        }),
    },
  },
  'admin.payment.approve': {
    call: (c, _who, ids) => c.admin.payment.approve({ id: ids.paymentId }),
    output: adminPaymentOutput,
    expect: { ...adminsOnly },
    check: {
      admin: (out: z.infer<typeof adminPaymentOutput>) =>
        expect(out).toMatchObject({ status: 'approved', workspace: { status: 'active' } }),
    },
  },
  'admin.payment.reject': {
    call: (c, _who, ids) =>
      c.admin.payment.reject({ id: ids.paymentId, reason: 'Chek o‘qilmaydi' }),
    output: adminPaymentOutput,
    expect: { ...adminsOnly },
    check: {
      admin: (out: z.infer<typeof adminPaymentOutput>) =>
        expect(out).toMatchObject({ status: 'rejected', rejectionReason: 'Chek o‘qilmaydi' }),
    },
  },
  'admin.workspace.extend': {
    call: (c, _who, ids) =>
      c.admin.workspace.extend({ id: ids.workspaceId, days: 5, reason: 'Texnik nosozlik' }),
    output: adminWorkspaceExtendOutput,
    expect: { ...adminsOnly },
  },
  'admin.plan.list': {
    call: (c) => c.admin.plan.list(),
    output: adminPlanListOutput,
    expect: { ...adminsOnly },
  },
  'admin.plan.create': {
    call: (c) =>
      c.admin.plan.create({
        code: `test_${randomBytes(6).toString('hex')}`,
        names: { uz: 'Sinov tarifi', ru: 'Тестовый', en: 'Test plan' },
        priceTiyin: 100_000,
        durationDays: 30,
        maxAnalysesPerMonth: 10,
        storageQuotaBytes: 1024 ** 3,
        sortOrder: 100,
      }),
    output: planOutput,
    expect: { ...adminsOnly },
  },
  // Update and archive a throwaway plan: the matrix's database is shared by every cell.
  'admin.plan.update': {
    call: async (c) => c.admin.plan.update({ id: await throwawayPlan(), sortOrder: 99 }),
    output: planOutput,
    expect: { ...adminsOnly },
  },
  'admin.plan.archive': {
    call: async (c) => c.admin.plan.archive({ id: await throwawayPlan() }),
    output: planOutput,
    expect: { ...adminsOnly },
    check: { admin: (out: z.infer<typeof planOutput>) => expect(out.active).toBe(false) },
  },
  // --- scheduled jobs (admin.jobs.*) ---------------------------------------------------------
  'admin.jobs.overview': {
    call: (c) => c.admin.jobs.overview(),
    output: adminJobsOverviewOutput,
    expect: { ...adminsOnly },
  },
  'admin.jobs.retry': {
    // A permanently failed job of its own for each cell: only the admin's call reschedules it.
    call: async (c) => c.admin.jobs.retry({ jobId: await failedJob() }),
    output: okOutput,
    expect: { ...adminsOnly },
  },
  // --- end of scheduled jobs -----------------------------------------------------------------
};

/** A receipt row in the doctor's workspace, as an upload with purpose `receipt` leaves it. */
async function receiptOf(doctor: TestDoctor): Promise<string> {
  const row = await h.t.db
    .insertInto('files')
    .values({
      workspace_id: doctor.workspaceId,
      uploaded_by: doctor.userId,
      purpose: 'receipt',
      name: 'chek.png',
      mime: 'image/png',
      size: 10,
      sha256: '0'.repeat(64),
      storage_key: randomBytes(32).toString('hex'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function throwawayPlan(): Promise<string> {
  const row = await h.t.db
    .insertInto('plans')
    .values({
      code: `tmp_${randomBytes(6).toString('hex')}`,
      name_uz: 'Vaqtinchalik',
      name_ru: 'Временный',
      name_en: 'Temporary',
      price_tiyin: 1,
      duration_days: 30,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A job that used up its attempts, as Graphile Worker leaves one. */
async function failedJob(): Promise<string> {
  const job = await addJob(h.services.db, 'session__cleanup', {}, { maxAttempts: 1 });
  await sql`update graphile_worker._private_jobs set attempts = max_attempts,
    last_error = 'boom' where id = ${job.id}::bigint`.execute(h.services.db);
  return job.id;
}

let h: Harness;

/** One notification for `userId` (doctor A in these rows); its id. */
async function notifyUser(userId: string): Promise<string> {
  const [id] = await h.t.db.transaction().execute((trx) =>
    notify(
      trx,
      {
        workspaceId: null,
        kind: 'payment_rejected',
        params: { reason: 'Chek o‘qilmaydi' },
        dedupeKey: `payment_rejected:${randomBytes(6).toString('hex')}`,
      },
      [userId],
    ),
  );
  return id!;
}

/** An agent signed in as `user` (directly, no argon2), with its refresh cookie in the jar. */
async function signedInAgent(user: TestUser, opts: { secondFactor?: boolean } = {}): Promise<Who> {
  const a = h.agent();
  const s = await signInDirectly(
    h.services,
    user,
    { ip: a.ip, userAgent: 'vitest', requestId: null },
    opts,
  );
  a.token = s.accessToken;
  a.jar.set(REFRESH_COOKIE, s.refreshToken, {
    httpOnly: true,
    secure: false,
    sameSite: 'strict',
    path: '/trpc',
  });
  return Object.assign(a, { user });
}

async function world(kind: CallerKind): Promise<{ who: Who; ids: Ids }> {
  const doctorA = await h.make.doctor({ name: 'Alisher Shukurov' });
  const a = await signedInAgent(doctorA);
  const patient = await h.make.patient(doctorA);
  // An attachment row as an upload leaves it (the bytes do not matter to these procedures).
  const file = await h.t.db
    .insertInto('files')
    .values({
      workspace_id: doctorA.workspaceId,
      uploaded_by: doctorA.userId,
      purpose: 'attachment',
      patient_id: patient.id,
      name: 'tahlil.pdf',
      mime: 'application/pdf',
      size: 10,
      sha256: '0'.repeat(64),
      storage_key: randomBytes(32).toString('hex'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await h.t.db
    .insertInto('audit_log')
    .values({
      action: 'file.upload',
      outcome: 'success',
      actor_user_id: doctorA.userId,
      actor_role: 'doctor',
      workspace_id: doctorA.workspaceId,
      entity_type: 'file',
      entity_id: file.id,
      meta: JSON.stringify({ patientId: patient.id }),
    })
    .execute();
  const analysis = await a.caller.analysis.create({
    patientId: patient.id,
    complaints: 'Holsizlik, tez charchash',
    labs: [
      { code: 'hemoglobin', value: 95, unit: 'g/L' },
      { code: 'ferritin', value: 6, unit: 'ug/L' },
    ],
    idempotencyKey: randomBytes(12).toString('hex'),
  });
  await h.services.analyses.run(analysis.id, { number: 1, max: 1 });
  const report = (
    await h.t.db
      .selectFrom('analyses')
      .select('report')
      .where('id', '=', analysis.id)
      .executeTakeFirstOrThrow()
  ).report as { differential: { code: string }[] };
  const receipt = await h.t.db
    .insertInto('files')
    .values({
      workspace_id: doctorA.workspaceId,
      uploaded_by: doctorA.userId,
      purpose: 'receipt',
      name: 'chek.pdf',
      mime: 'application/pdf',
      size: 10,
      sha256: '0'.repeat(64),
      storage_key: randomBytes(32).toString('hex'),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const plan = await h.t.db
    .selectFrom('plans')
    .select(['id', 'price_tiyin'])
    .where('code', '=', 'doctor_monthly')
    .executeTakeFirstOrThrow();
  const payment = await h.t.db
    .insertInto('payments')
    .values({
      workspace_id: doctorA.workspaceId,
      plan_id: plan.id,
      amount_tiyin: plan.price_tiyin,
      receipt_file_id: receipt.id,
      submitted_by: doctorA.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ids: Ids = {
    userId: a.user!.userId,
    sessionId: (await h.services.sessions.authenticate(a.token!)).sessionId,
    patientId: patient.id,
    fileId: file.id,
    analysisId: analysis.id,
    conditionCode: report.differential[0]!.code,
    workspaceId: doctorA.workspaceId,
    paymentId: payment.id,
    receiptFileId: receipt.id,
    planId: plan.id,
  };
  switch (kind) {
    case 'anonymous':
      return { who: Object.assign(h.agent(), { user: null }), ids };
    case 'doctorA':
      return { who: a, ids };
    case 'doctorB':
      return { who: await signedInAgent(await h.make.doctor({ name: 'Gulnora Tosheva' })), ids };
    case 'expiredDoctor':
      return { who: await signedInAgent(await h.make.doctor({ subscription: 'expired' })), ids };
    case 'deactivated':
      return { who: await signedInAgent(await h.make.deactivated()), ids };
    case 'adminNoSecondFactor':
      return {
        who: await signedInAgent(await h.make.admin(), { secondFactor: false }),
        ids,
      };
    case 'admin':
      return { who: await signedInAgent(await h.make.admin()), ids };
  }
}

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.services.analyses.events.stop();
  await h.close();
});

function procedurePaths(): string[] {
  return Object.keys(appRouter._def.procedures).sort();
}

describe('authorization matrix', () => {
  it('has a row for every procedure and no row for a procedure that does not exist', () => {
    expect(Object.keys(matrix).sort()).toEqual(procedurePaths());
  });

  for (const [path, row] of Object.entries(matrix)) {
    for (const kind of callers) {
      it(`${path} as ${kind} → ${row.expect[kind]}`, async () => {
        const { who, ids } = await world(kind);
        const outcome = row.expect[kind];
        if (outcome === 'ok') {
          const output = await row.call(who.caller, who, ids);
          expect(row.output.safeParse(output).error).toBeUndefined();
          await (row.check?.[kind] as ((o: unknown, w: Who, i: Ids) => unknown) | undefined)?.(
            output,
            who,
            ids,
          );
        } else {
          const [code, appCode] = outcome.split(':');
          const failed = await failure(row.call(who.caller, who, ids));
          expect(failed.code).toBe(code);
          if (appCode) expect(failed.appCode).toBe(appCode);
        }
      });
    }
  }

  it('refuses a token for a user that no longer exists', async () => {
    const { who, ids } = await world('doctorA');
    const ghost = await signAccessToken(
      { userId: '00000000-0000-4000-8000-000000000001', sessionId: ids.sessionId },
      h.services.config.tokenSecret,
      60,
      new Date(),
    );
    who.token = ghost.token;
    expect((await failure(who.caller.auth.me())).code).toBe('UNAUTHORIZED');
  });
});

describe('admin bootstrap', () => {
  it('creates the configured admin only when no admin exists, and never promotes a doctor', async () => {
    const h2 = await createHarness();
    try {
      const phone = freshPhone();
      expect(await h2.services.admins.bootstrap(undefined)).toBe('missing');
      expect(
        await h2.services.admins.bootstrap({
          phone,
          password: 'Admin-parol-2026',
          name: 'Bosh Admin',
        }),
      ).toBe('created');
      expect(
        await h2.services.admins.bootstrap({
          phone: freshPhone(),
          password: 'Admin-parol-2026',
          name: 'Ikkinchi Admin',
        }),
      ).toBe('exists');
      const admins = await h2.t.db
        .selectFrom('users')
        .select(['phone', 'role', 'password_hash'])
        .where('role', '=', 'admin')
        .execute();
      expect(admins.map((a) => a.phone)).toEqual([phone]);
      expect(admins[0]?.password_hash).toMatch(/^\$argon2id\$/);
      const admin = h2.agent();
      // Not enrolled: the password leads to enrolment, not to a session.
      const res = await admin.caller.auth.login({ phone, password: 'Admin-parol-2026' });
      expect(res).toMatchObject({ secondFactor: 'totp_enrol' });

      const doctor = await h2.make.doctor();
      await expect(
        h2.services.admins.createAdmin(
          createAdminInput.parse({
            phone: doctor.phone,
            name: 'Bosh Admin',
            password: 'Admin-parol-2026',
          }),
        ),
      ).rejects.toMatchObject({ code: 'PHONE_TAKEN' });
      // The boundaries (CLI, environment) refuse what the schema refuses.
      const bad = [
        { phone: 'nonsense', name: 'Bosh Admin', password: 'Admin-parol-2026' },
        { phone: freshPhone(), name: 'Bosh Admin', password: 'password' },
      ];
      for (const input of bad) expect(createAdminInput.safeParse(input).success).toBe(false);
      const h3 = await createHarness();
      try {
        await expect(h3.services.admins.bootstrap(bad[1])).rejects.toThrow();
        expect(
          await h3.t.db.selectFrom('users').select('id').where('role', '=', 'admin').execute(),
        ).toEqual([]);
      } finally {
        await h3.close();
      }
      expect(await hashPassword('x')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    } finally {
      await h2.close();
    }
  });
});

describe('procedure builders', () => {
  // The builders later routers stand on, exercised through a router that exists only here.
  const probe = router({
    doctorOnly: doctorProcedure.query(({ ctx }) => ctx.scope.workspaceId),
    adminOnly: adminProcedure.query(({ ctx }) => ctx.scope.role),
  });
  // The inner context, as a script builds it: the caller's session resolved directly.
  const probeCaller = (who: Agent) =>
    createCallerFactory(probe)(async () =>
      createInnerContext({
        services: h.services,
        session: who.token ? await h.services.sessions.authenticate(who.token) : null,
        meta: { ip: who.ip, requestId: 'probe' },
      }),
    );

  it('doctorProcedure admits a doctor with their own workspace only', async () => {
    const doctor = await h.make.doctor();
    await expect(probeCaller(await signedInAgent(doctor)).doctorOnly()).resolves.toBe(
      doctor.workspaceId,
    );
    const admin = await signedInAgent(await h.make.admin());
    expect((await failure(probeCaller(admin).doctorOnly())).code).toBe('FORBIDDEN');
    expect((await failure(probeCaller(h.agent()).doctorOnly())).code).toBe('UNAUTHORIZED');
  });

  it('adminProcedure admits admins only, and only after the second factor', async () => {
    const admin = await signedInAgent(await h.make.admin());
    await expect(probeCaller(admin).adminOnly()).resolves.toBe('admin');
    const halfSignedIn = h.agent();
    halfSignedIn.token = (
      await signInDirectly(h.services, await h.make.admin(), undefined, { secondFactor: false })
    ).accessToken;
    expect(await failure(probeCaller(halfSignedIn).adminOnly())).toMatchObject({
      code: 'FORBIDDEN',
      appCode: 'SECOND_FACTOR_REQUIRED',
    });
    const doctor = await signedInAgent(await h.make.doctor());
    expect((await failure(probeCaller(doctor).adminOnly())).code).toBe('FORBIDDEN');
    expect((await failure(probeCaller(h.agent()).adminOnly())).code).toBe('UNAUTHORIZED');
  });
});
