import { randomBytes } from 'node:crypto';
import { enrolTotp, freshPhone, TEST_PASSWORD, totpCode } from '@medora/core/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { appErrorData } from '../src/index';
import { createHarness, type Agent, type Harness } from './harness';
import {
  callPath,
  declaredKeys,
  doctorWorld,
  failedJob,
  procedures,
  signedInAgent,
  throwawayPlan,
  type DoctorWorld,
  type Who,
} from './fixtures/world';

/**
 * Mass assignment: every mutation of the router gets a valid input plus keys a client must never
 * decide (role, workspace, plan, status, usage, authorship, prices, timestamps, a foreign id).
 * Each call either succeeds with the extras ignored or is refused with a 4xx; either way the
 * columns those keys name are unchanged, except the ones the mutation itself changes, and no
 * row, new or old, carries a value smuggled in.
 *
 * The schemas' policy, pinned here: an input declared with `z.strictObject` refuses unknown
 * keys (VALIDATION_FAILED); the clinical forms (patient and analysis inputs, plain `z.object`)
 * drop them; a procedure without an input never reads what is sent.
 */

/** A date no server would write now. */
const HOSTILE_DATE = new Date('2001-02-03T04:05:06.000Z');
const HOSTILE_NUMBER = 777_777;
const HOSTILE_PRICE = 123_457;

interface World {
  a: DoctorWorld;
  /** The victim: another workspace, whose ids the hostile keys carry. */
  c: DoctorWorld;
  admin: Who;
  /** An administrator with an authenticator, and one without (for the enrolment steps). */
  enrolled: { phone: string; secret: string };
  unenrolled: { phone: string };
  hostilePlanId: string;
  plan: string;
  jobId: string;
}

type Column = `${string}.${string}`;

interface Case {
  caller: 'A' | 'admin' | 'anonymous';
  /** A valid input; may do what a client would first (sign in, start enrolment). */
  input: (w: World, anon: Agent) => unknown;
  /** Columns of existing rows this mutation changes by design (`table.-`: deletes rows). */
  changes?: Column[];
  /** Done before the snapshot: puts the world in the state the mutation needs. */
  prepare?: (w: World) => Promise<void>;
  /** The world has no pending payment (to submit one). */
  noPendingPayment?: boolean;
}

const loginChallenge = async (anon: Agent, phone: string) => {
  const res = await anon.caller.auth.login({ phone, password: TEST_PASSWORD });
  if (!('secondFactor' in res)) throw new Error('expected a second-factor challenge');
  return res.challenge;
};

const cases: Record<string, Case> = {
  'auth.register': {
    caller: 'anonymous',
    input: () => ({
      phone: freshPhone(),
      name: 'Kamola Rasulova',
      password: TEST_PASSWORD,
      locale: 'uz',
    }),
  },
  'auth.login': {
    caller: 'anonymous',
    input: (w) => ({ phone: w.a.doctor.phone, password: TEST_PASSWORD }),
  },
  'auth.verifyTotp': {
    caller: 'anonymous',
    input: async (w, anon) => ({
      challenge: await loginChallenge(anon, w.enrolled.phone),
      code: totpCode(w.enrolled.secret),
    }),
  },
  'auth.totpEnrolStart': {
    caller: 'anonymous',
    input: async (w, anon) => ({ challenge: await loginChallenge(anon, w.unenrolled.phone) }),
  },
  'auth.totpEnrolFinish': {
    caller: 'anonymous',
    input: async (w, anon) => {
      const challenge = await loginChallenge(anon, w.unenrolled.phone);
      const { secret } = await anon.caller.auth.totpEnrolStart({ challenge });
      return { challenge, code: totpCode(secret) };
    },
  },
  'auth.refresh': { caller: 'A', input: () => undefined },
  'auth.logout': { caller: 'A', input: () => undefined, changes: ['sessions.revoked_at'] },
  'auth.updateProfile': { caller: 'A', input: () => ({ name: 'Alisher Shukurov', locale: 'ru' }) },
  'auth.changePassword': {
    caller: 'A',
    input: () => ({ currentPassword: TEST_PASSWORD, newPassword: 'Yangi-parol-2027!' }),
    changes: ['sessions.revoked_at'],
  },
  'auth.sessions.revoke': {
    caller: 'A',
    input: (w) => ({ id: w.a.ids.sessionId }),
    changes: ['sessions.revoked_at'],
  },
  'patient.create': {
    caller: 'A',
    input: () => ({ firstName: 'Sardor', lastName: 'Qodirov', sex: 'male', ageYears: 33 }),
  },
  'patient.update': {
    caller: 'A',
    input: (w) => ({ id: w.a.ids.patientId, firstName: 'Sardor', notes: 'Allergiya yo‘q' }),
  },
  'patient.archive': {
    caller: 'A',
    input: (w) => ({ id: w.a.ids.patientId }),
    changes: ['patients.archived_at'],
  },
  'patient.restore': {
    caller: 'A',
    prepare: async (w) => {
      await w.a.who.caller.patient.archive({ id: w.a.ids.patientId });
    },
    input: (w) => ({ id: w.a.ids.patientId }),
    changes: ['patients.archived_at'],
  },
  'file.delete': { caller: 'A', input: (w) => ({ id: w.a.ids.fileId }), changes: ['files.-'] },
  'analysis.create': {
    caller: 'A',
    input: (w) => ({
      patientId: w.a.ids.patientId,
      complaints: 'Bosh og‘rig‘i',
      labs: [{ code: 'hemoglobin', value: 120, unit: 'g/L' }],
      attachmentIds: [w.a.ids.fileId],
      idempotencyKey: randomBytes(12).toString('hex'),
    }),
    changes: ['usage_counters.analyses_used'],
  },
  'analysis.feedback': {
    caller: 'A',
    input: (w) => ({
      id: w.a.ids.analysisId,
      conditionCode: w.a.ids.conditionCode,
      verdict: 'more_likely',
    }),
  },
  'notification.markRead': {
    caller: 'A',
    input: (w) => ({ id: w.a.ids.notificationId }),
    changes: ['notifications.read_at'],
  },
  'payment.submitReceipt': {
    caller: 'A',
    noPendingPayment: true,
    input: (w) => ({ planId: w.a.ids.planId, receiptFileId: w.a.ids.receiptFileId }),
  },
  'admin.user.setActive': {
    caller: 'admin',
    input: (w) => ({ id: w.a.ids.userId, active: false }),
    changes: ['users.is_active', 'sessions.revoked_at'],
  },
  'admin.jobs.retry': { caller: 'admin', input: (w) => ({ jobId: w.jobId }) },
  'admin.payment.approve': {
    caller: 'admin',
    input: (w) => ({ id: w.a.ids.paymentId }),
    changes: [
      'payments.status',
      'payments.reviewed_by',
      'workspaces.plan_id',
      'workspaces.subscription_status',
      'workspaces.trial_ends_at',
      'workspaces.current_period_end',
      'workspaces.access_ends_at',
      'usage_counters.closed_at',
    ],
  },
  'admin.payment.reject': {
    caller: 'admin',
    input: (w) => ({ id: w.a.ids.paymentId, reason: 'Chek o‘qilmaydi' }),
    changes: ['payments.status', 'payments.reviewed_by'],
  },
  'admin.workspace.extend': {
    caller: 'admin',
    input: (w) => ({ id: w.a.ids.workspaceId, days: 7, reason: 'Texnik nosozlik uchun' }),
    changes: [
      'workspaces.subscription_status',
      'workspaces.trial_ends_at',
      'workspaces.current_period_end',
      'workspaces.access_ends_at',
    ],
  },
  'admin.plan.create': {
    caller: 'admin',
    input: () => ({
      code: `plan_${randomBytes(4).toString('hex')}`,
      names: { uz: 'Klinika', ru: 'Клиника', en: 'Clinic' },
      priceTiyin: 50_000_000,
      durationDays: 30,
      maxAnalysesPerMonth: 500,
      storageQuotaBytes: 1024 ** 3,
      sortOrder: 3,
    }),
  },
  'admin.plan.update': {
    caller: 'admin',
    input: (w) => ({ id: w.plan, names: { uz: 'Yangi', ru: 'Новый', en: 'New' }, sortOrder: 4 }),
  },
  'admin.plan.archive': {
    caller: 'admin',
    input: (w) => ({ id: w.plan }),
    changes: ['plans.is_active'],
  },
};

/** The keys a client must never decide, with values that would show if one got through. */
function hostileKeys(w: World): Record<string, unknown> {
  const victimWs = w.c.ids.workspaceId;
  const victimUser = w.c.ids.userId;
  return {
    role: 'admin',
    workspaceId: victimWs,
    workspace_id: victimWs,
    planId: w.hostilePlanId,
    plan_id: w.hostilePlanId,
    status: 'approved',
    subscriptionStatus: 'active',
    used: HOSTILE_NUMBER,
    analysesUsed: HOSTILE_NUMBER,
    usage: { used: HOSTILE_NUMBER, limit: null },
    createdBy: victimUser,
    created_by: victimUser,
    reviewedBy: victimUser,
    submittedBy: victimUser,
    uploadedBy: victimUser,
    userId: victimUser,
    price: HOSTILE_PRICE,
    priceTiyin: HOSTILE_PRICE,
    amount: HOSTILE_PRICE,
    amountTiyin: HOSTILE_PRICE,
    createdAt: HOSTILE_DATE.toISOString(),
    updatedAt: HOSTILE_DATE.toISOString(),
    accessEndsAt: HOSTILE_DATE.toISOString(),
    currentPeriodEnd: HOSTILE_DATE.toISOString(),
    trialEndsAt: HOSTILE_DATE.toISOString(),
    isActive: false,
    id: w.c.ids.patientId,
  };
}

/** The columns hostile keys could reach, per table, with each table's key. */
const watched: Record<string, { key: string[]; cols: string[] }> = {
  users: { key: ['id'], cols: ['role', 'is_active', 'created_at'] },
  workspace_members: { key: ['workspace_id', 'user_id'], cols: ['role', 'created_at'] },
  workspaces: {
    key: ['id'],
    cols: [
      'plan_id',
      'subscription_status',
      'trial_ends_at',
      'current_period_end',
      'access_ends_at',
      'created_at',
    ],
  },
  usage_counters: { key: ['workspace_id', 'period_start'], cols: ['analyses_used', 'closed_at'] },
  payments: {
    key: ['id'],
    cols: [
      'workspace_id',
      'plan_id',
      'amount_tiyin',
      'status',
      'reviewed_by',
      'submitted_by',
      'created_at',
    ],
  },
  plans: {
    key: ['id'],
    cols: [
      'code',
      'price_tiyin',
      'duration_days',
      'max_analyses_per_month',
      'storage_quota_bytes',
      'is_active',
      'is_trial',
      'created_at',
    ],
  },
  patients: { key: ['id'], cols: ['workspace_id', 'created_by', 'created_at', 'archived_at'] },
  analyses: {
    key: ['id'],
    cols: ['workspace_id', 'patient_id', 'created_by', 'status', 'created_at', 'usage_period'],
  },
  files: { key: ['id'], cols: ['workspace_id', 'uploaded_by', 'patient_id', 'created_at'] },
  analysis_feedback: {
    key: ['analysis_id', 'user_id', 'condition_code'],
    cols: ['user_id', 'created_at'],
  },
  notifications: { key: ['id'], cols: ['user_id', 'workspace_id', 'read_at', 'created_at'] },
  sessions: { key: ['id'], cols: ['user_id', 'revoked_at', 'created_at'] },
};

type Snapshot = Map<string, Map<string, Record<string, unknown>>>;

let h: Harness;

async function snapshot(): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const [table, { key, cols }] of Object.entries(watched)) {
    const rows = (await h.t.db
      .selectFrom(table as 'users')
      .select([...new Set([...key, ...cols])] as never[])
      .execute()) as Record<string, unknown>[];
    out.set(table, new Map(rows.map((r) => [key.map((k) => String(r[k])).join('|'), r])));
  }
  return out;
}

const same = (x: unknown, y: unknown) =>
  x instanceof Date && y instanceof Date ? x.getTime() === y.getTime() : x === y;

/** Whether a stored value is one of the smuggled ones. */
function smuggled(w: World, col: string, v: unknown): boolean {
  if (v instanceof Date) return v.getTime() === HOSTILE_DATE.getTime();
  if (v === HOSTILE_NUMBER || v === HOSTILE_PRICE) return true;
  if (
    [w.c.ids.workspaceId, w.c.ids.userId, w.c.ids.patientId, w.hostilePlanId].includes(v as string)
  )
    return true;
  return false;
}

/** What changed between two snapshots that the mutation may not change; [] when all is well. */
function violations(w: World, before: Snapshot, after: Snapshot, allowed: Column[]): string[] {
  const out: string[] = [];
  for (const [table, rowsAfter] of after) {
    const rowsBefore = before.get(table)!;
    for (const [key, row] of rowsBefore) {
      const now = rowsAfter.get(key);
      if (!now) {
        if (!allowed.includes(`${table}.-`)) out.push(`${table} ${key} deleted`);
        continue;
      }
      for (const col of watched[table]!.cols) {
        if (same(row[col], now[col])) continue;
        if (!allowed.includes(`${table}.${col}`))
          out.push(`${table}.${col} of ${key}: ${String(row[col])} → ${String(now[col])}`);
        else if (smuggled(w, col, now[col]))
          out.push(`${table}.${col} of ${key} took a smuggled value ${String(now[col])}`);
      }
    }
    for (const [key, row] of rowsAfter) {
      if (rowsBefore.has(key)) continue;
      if (watched[table]!.key.includes('id') && smuggled(w, 'id', row.id))
        out.push(`${table}: a new row took the smuggled id ${key}`);
      for (const col of watched[table]!.cols) {
        if (smuggled(w, col, row[col]))
          out.push(`${table}.${col} of new row ${key}: smuggled ${String(row[col])}`);
        // The role and status a new row starts with are the server's, never the client's.
        if (col === 'role' && row[col] === 'admin') out.push(`${table}: a new row is an admin`);
        if (table === 'payments' && col === 'status' && row[col] !== 'pending')
          out.push(`payments: a new payment is ${String(row[col])}`);
      }
    }
  }
  return out;
}

async function world(c: Case): Promise<World> {
  const a = await doctorWorld(h, { pendingPayment: !c.noPendingPayment });
  const victim = await doctorWorld(h, { name: 'Gulnora Tosheva' });
  const enrolledAdmin = await h.make.admin();
  const secret = await enrolTotp(h.services, enrolledAdmin);
  const unenrolledAdmin = await h.make.admin();
  return {
    a,
    c: victim,
    admin: await signedInAgent(h, await h.make.admin()),
    enrolled: { phone: enrolledAdmin.phone, secret },
    unenrolled: { phone: unenrolledAdmin.phone },
    hostilePlanId: await throwawayPlan(h, { priceTiyin: 999 }),
    plan: await throwawayPlan(h),
    jobId: await failedJob(h),
  };
}

interface Outcome {
  ok: boolean;
  code?: string;
  appCode?: string;
}

async function outcomeOf(p: Promise<unknown>): Promise<Outcome> {
  try {
    await p;
    return { ok: true };
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return { ok: false, code: e.code, appCode: appErrorData(e).appCode };
  }
}

/** How the input schema treats unknown keys: refuses them, drops them, or there is no input. */
function policyOf(inputs: z.ZodType[]): 'refused' | 'ignored' {
  interface Def {
    type: string;
    catchall?: { _zod: { def: { type: string } } };
    innerType?: { _zod: { def: Def } };
    in?: { _zod: { def: Def } };
  }
  if (inputs.length === 0) return 'ignored';
  let def = (inputs[0] as unknown as { _zod: { def: Def } })._zod.def;
  while (def.type !== 'object') {
    const next = def.innerType ?? def.in;
    if (!next) return 'ignored';
    def = next._zod.def;
  }
  return def.catchall?._zod.def.type === 'never' ? 'refused' : 'ignored';
}

beforeAll(async () => {
  h = await createHarness();
}, 60_000);
afterAll(async () => {
  await h.services.analyses.events.stop();
  await h.close();
});

/**
 * The mutations that drop unknown keys instead of refusing them: the clinical forms (a client
 * may send a whole form object back) and the procedures without input. Every other mutation's
 * input is a `z.strictObject`.
 */
const dropsUnknownKeys = [
  'analysis.create',
  'analysis.feedback',
  'auth.logout',
  'auth.refresh',
  'patient.create',
  'patient.update',
];

const mutations = [...procedures()].filter(([, d]) => d.type === 'mutation');

describe('mass assignment', () => {
  it('has a case for every mutation and none for a procedure that is not one', () => {
    expect(Object.keys(cases).sort()).toEqual(mutations.map(([p]) => p).sort());
  });

  it('refuses unknown keys everywhere but the clinical forms and the procedures without input', () => {
    const policies = Object.fromEntries(mutations.map(([p, d]) => [p, policyOf(d.inputs)]));
    const ignoring = Object.keys(policies).filter((p) => policies[p] === 'ignored');
    expect(ignoring.sort()).toEqual([...dropsUnknownKeys].sort());
  });

  it("analysis.create takes the patient's sex and age from the record, never from input", async () => {
    const { a } = await world(cases['analysis.create']!);
    const created = await a.who.caller.analysis.create({
      patientId: a.ids.patientId,
      complaints: 'Bosh og‘rig‘i',
      labs: [{ code: 'hemoglobin', value: 120, unit: 'g/L' }],
      // `patient` takes measurements only; the record's sex and age are not the client's.
      patient: { weightKg: 80, sex: 'female', ageYears: 3 } as never,
      idempotencyKey: randomBytes(12).toString('hex'),
    });
    const stored = (await a.who.caller.analysis.get({ id: created.id })).input.patient;
    expect(stored).toMatchObject({ sex: 'male', weightKg: 80 });
    expect(stored.ageYears).toBeGreaterThan(40);
  });

  for (const [path, d] of mutations) {
    const c = cases[path];
    if (!c) continue;
    const policy = policyOf(d.inputs);
    it(`${path}: hostile keys are ${policy} and change nothing`, async () => {
      const w = await world(c);
      await c.prepare?.(w);
      const anon = h.agent();
      const agent = c.caller === 'A' ? w.a.who : c.caller === 'admin' ? w.admin : anon;
      const base = await c.input(w, anon);
      const declared = new Set(d.inputs.flatMap(declaredKeys));
      // Only keys the input does not declare: `priceTiyin` is a plan's own field in
      // admin.plan.update, hostile everywhere else.
      const extras = Object.fromEntries(
        Object.entries(hostileKeys(w)).filter(([k]) => !declared.has(k)),
      );
      expect(Object.keys(extras).length).toBeGreaterThan(10);
      const hostile = { ...((base as object | undefined) ?? {}), ...extras };

      const before = await snapshot();
      const outcome = await outcomeOf(callPath(agent.caller, path, d.type, hostile));
      const after = await snapshot();

      if (policy === 'refused') {
        expect(outcome).toEqual({ ok: false, code: 'BAD_REQUEST', appCode: 'VALIDATION_FAILED' });
        expect(violations(w, before, after, [])).toEqual([]);
        // The input without the extras is valid: the refusal was for them alone.
        const plain = await outcomeOf(callPath(agent.caller, path, d.type, base));
        expect(plain).toEqual({ ok: true });
      } else {
        expect(outcome).toEqual({ ok: true });
        expect(violations(w, before, after, c.changes ?? [])).toEqual([]);
      }
    }, 60_000);
  }
});
