import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { freshPhone } from '@medora/core/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appErrorData } from '../src/index';
import { createHarness, failure, type Harness } from './harness';
import {
  callPath,
  doctorWorld,
  failedJob,
  idFields,
  notificationFor,
  procedures,
  signedInAgent,
  throwawayPlan,
  unknownId,
  withField,
  type DoctorWorld,
  type Ids,
  type Who,
} from './fixtures/world';

/**
 * Object-level authorization, generated from the router: every input field that carries an id
 * (found by walking the input schemas, see `idFields`) is filled with doctor A's record of the
 * right kind and sent by doctor B of another workspace. B must get exactly what an id that
 * names nothing gets (NOT_FOUND unless the case says otherwise), in the same timing class.
 * A procedure whose input has id fields but no case below fails the suite, so a new id field
 * is probed without anyone remembering to add it.
 */

type Kind =
  | 'patient'
  | 'file'
  | 'analysis'
  | 'receipt'
  | 'payment'
  | 'session'
  | 'notification'
  | 'user'
  | 'workspace'
  | 'plan'
  | 'job';

interface Case {
  /** The kind of record each id field (as `idFields` names it) points at. */
  fields: Record<string, Kind>;
  /** A valid input built from the caller's own records. */
  input: (own: Ids) => unknown;
  /**
   * 'doctor': doctor B gets the refusal for A's ids. 'admin': an admin-only procedure; a doctor
   * gets FORBIDDEN whatever the id, an admin gets `adminUnknown` for an id that names nothing.
   */
  audience: 'doctor' | 'admin';
  /** What a foreign id and an unknown one both answer, as `CODE:APP_CODE`; NOT_FOUND unless said. */
  refusal?: Partial<Record<string, string>>;
  /** For admin cases: what an unknown id answers ('ok' for a filter that just matches nothing). */
  adminUnknown?: 'NOT_FOUND' | 'ok';
}

const idem = () => randomBytes(12).toString('hex');

const cases: Record<string, Case> = {
  'auth.sessions.revoke': {
    fields: { id: 'session' },
    input: (o) => ({ id: o.sessionId }),
    audience: 'doctor',
  },
  'patient.get': {
    fields: { id: 'patient' },
    input: (o) => ({ id: o.patientId }),
    audience: 'doctor',
  },
  'patient.update': {
    fields: { id: 'patient' },
    input: (o) => ({ id: o.patientId, firstName: 'Sardor' }),
    audience: 'doctor',
  },
  'patient.archive': {
    fields: { id: 'patient' },
    input: (o) => ({ id: o.patientId }),
    audience: 'doctor',
  },
  'patient.restore': {
    fields: { id: 'patient' },
    input: (o) => ({ id: o.patientId }),
    audience: 'doctor',
  },
  'patient.accessLog': {
    fields: { id: 'patient' },
    input: (o) => ({ id: o.patientId }),
    audience: 'doctor',
  },
  'file.list': {
    fields: { patientId: 'patient' },
    input: (o) => ({ patientId: o.patientId }),
    audience: 'doctor',
  },
  'file.delete': { fields: { id: 'file' }, input: (o) => ({ id: o.fileId }), audience: 'doctor' },
  'analysis.create': {
    fields: { patientId: 'patient', 'attachmentIds[]': 'file' },
    input: (o) => ({
      patientId: o.patientId,
      complaints: 'Bosh og‘rig‘i',
      labs: [{ code: 'hemoglobin', value: 120, unit: 'g/L' }],
      attachmentIds: [o.fileId],
      idempotencyKey: idem(),
    }),
    audience: 'doctor',
  },
  'analysis.get': {
    fields: { id: 'analysis' },
    input: (o) => ({ id: o.analysisId }),
    audience: 'doctor',
  },
  'analysis.list': {
    fields: { patientId: 'patient' },
    input: (o) => ({ patientId: o.patientId }),
    audience: 'doctor',
  },
  'analysis.status': {
    fields: { id: 'analysis' },
    input: (o) => ({ id: o.analysisId }),
    audience: 'doctor',
  },
  'analysis.onStatus': {
    fields: { id: 'analysis' },
    input: (o) => ({ id: o.analysisId }),
    audience: 'doctor',
  },
  'analysis.feedback': {
    fields: { id: 'analysis' },
    input: (o) => ({ id: o.analysisId, conditionCode: o.conditionCode, verdict: 'needs_review' }),
    audience: 'doctor',
  },
  'notification.markRead': {
    fields: { id: 'notification' },
    input: (o) => ({ id: o.notificationId }),
    audience: 'doctor',
  },
  'payment.submitReceipt': {
    // Plans belong to no workspace: the "foreign" plan is one that exists but cannot be bought
    // (archived), answered exactly like one that does not exist. A receipt of another workspace
    // is the same field error as a receipt that was never uploaded.
    fields: { planId: 'plan', receiptFileId: 'receipt' },
    input: (o) => ({ planId: o.planId, receiptFileId: o.receiptFileId }),
    audience: 'doctor',
    refusal: {
      planId: 'BAD_REQUEST:PLAN_NOT_AVAILABLE',
      receiptFileId: 'BAD_REQUEST:VALIDATION_FAILED',
    },
  },
  'admin.user.get': { fields: { id: 'user' }, input: (o) => ({ id: o.userId }), audience: 'admin' },
  'admin.user.setActive': {
    fields: { id: 'user' },
    input: (o) => ({ id: o.userId, active: false }),
    audience: 'admin',
  },
  'admin.audit.list': {
    fields: { actor: 'user' },
    input: (o) => ({ actor: o.userId }),
    audience: 'admin',
    adminUnknown: 'ok',
  },
  'admin.jobs.retry': {
    fields: { jobId: 'job' },
    input: () => ({ jobId: '1' }),
    audience: 'admin',
  },
  'admin.payment.get': {
    fields: { id: 'payment' },
    input: (o) => ({ id: o.paymentId }),
    audience: 'admin',
  },
  'admin.payment.approve': {
    fields: { id: 'payment' },
    input: (o) => ({ id: o.paymentId }),
    audience: 'admin',
  },
  'admin.payment.reject': {
    fields: { id: 'payment' },
    input: (o) => ({ id: o.paymentId, reason: 'Chek o‘qilmaydi' }),
    audience: 'admin',
  },
  'admin.workspace.extend': {
    fields: { id: 'workspace' },
    input: (o) => ({ id: o.workspaceId, days: 7, reason: 'Texnik nosozlik uchun' }),
    audience: 'admin',
  },
  'admin.plan.update': {
    fields: { id: 'plan' },
    input: (o) => ({ id: o.planId, sortOrder: 5 }),
    audience: 'admin',
  },
  'admin.plan.archive': {
    fields: { id: 'plan' },
    input: (o) => ({ id: o.planId }),
    audience: 'admin',
  },
};

let h: Harness;
let a: DoctorWorld;
let b: DoctorWorld;
/** A plan that exists but no doctor can buy: the nearest thing to "another doctor's plan". */
let archivedPlanId: string;

/** Doctor A's record of `kind`, as B would try to name it. */
function foreignId(kind: Kind, w: DoctorWorld): string {
  switch (kind) {
    case 'patient':
      return w.ids.patientId;
    case 'file':
      return w.ids.fileId;
    case 'analysis':
      return w.ids.analysisId;
    case 'receipt':
      return w.ids.receiptFileId;
    case 'payment':
      return w.ids.paymentId!;
    case 'session':
      return w.ids.sessionId;
    case 'notification':
      return w.ids.notificationId;
    case 'user':
      return w.ids.userId;
    case 'workspace':
      return w.ids.workspaceId;
    case 'plan':
      return archivedPlanId;
    case 'job':
      throw new Error('jobs belong to no workspace: only admin cases name them');
  }
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;

/** The refusal a call got, as one comparable value; a success is a failed expectation. */
async function refusalOf(p: Promise<unknown>) {
  const f = await failure(p);
  return { code: f.code, appCode: f.appCode, fieldErrors: f.fieldErrors };
}

/** A call's refusal, or null when it succeeded. */
async function settled(p: Promise<unknown>) {
  try {
    await p;
    return null;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    const data = appErrorData(e);
    return { code: e.code, appCode: data.appCode, fieldErrors: data.fieldErrors };
  }
}

beforeAll(async () => {
  h = await createHarness();
  a = await doctorWorld(h, { name: 'Alisher Shukurov' });
  b = await doctorWorld(h, { name: 'Gulnora Tosheva' });
  archivedPlanId = await throwawayPlan(h, { active: false });
}, 60_000);
afterAll(async () => {
  await h.services.analyses.events.stop();
  await h.close();
});

const all = procedures();
const withIds = [...all].filter(([, d]) => d.inputs.some((s) => idFields(s).length > 0));

describe('object-level authorization, generated from the router', () => {
  it('finds the id fields of the inputs (the rule itself works)', () => {
    const found = Object.fromEntries(
      withIds.map(([path, d]) => [path, d.inputs.flatMap(idFields).map((f) => f.path)]),
    );
    // A sample the walk must see through: a plain id, an optional filter, an array behind a
    // transform, a non-uuid id, a uuid under another name.
    expect(found['patient.get']).toEqual(['id']);
    expect(found['analysis.list']).toEqual(['patientId']);
    expect(found['analysis.create']).toEqual(['patientId', 'attachmentIds[]']);
    expect(found['admin.jobs.retry']).toEqual(['jobId']);
    expect(found['admin.audit.list']).toEqual(['actor']);
  });

  it('has a case for every procedure with an id field, naming exactly its id fields', () => {
    const missing: string[] = [];
    for (const [path, d] of withIds) {
      const fields = d.inputs
        .flatMap(idFields)
        .map((f) => f.path)
        .sort();
      const c = cases[path];
      if (!c || JSON.stringify(Object.keys(c.fields).sort()) !== JSON.stringify(fields))
        missing.push(`${path} (${fields.join(', ')})`);
    }
    expect(missing, 'id fields without a case: add a base input and the kinds').toEqual([]);
    expect(Object.keys(cases).filter((p) => !all.has(p))).toEqual([]);
  });

  for (const [path, d] of withIds) {
    const c = cases[path];
    if (!c) continue;
    for (const field of d.inputs.flatMap(idFields)) {
      const kind = c.fields[field.path];
      if (!kind) continue;

      if (c.audience === 'doctor') {
        it(`${path} ${field.path}: doctor B with A's ${kind} gets what an unknown id gets, as fast`, async () => {
          const expected = c.refusal?.[field.path.replace('[]', '')] ?? 'NOT_FOUND';
          const foreign = () =>
            callPath(
              b.who.caller,
              path,
              d.type,
              withField(c.input(b.ids), field.path, foreignId(kind, a)),
            );
          const unknown = () =>
            callPath(
              b.who.caller,
              path,
              d.type,
              withField(c.input(b.ids), field.path, unknownId(field.format)),
            );
          const onForeign = await refusalOf(foreign());
          const onUnknown = await refusalOf(unknown());
          expect(`${onForeign.code}:${onForeign.appCode}`).toBe(
            expected.includes(':') ? expected : `${expected}:${expected}`,
          );
          expect(onForeign).toEqual(onUnknown);

          // Timing class: medians over alternating calls (the one place timing is asserted; the
          // bound is loose because two cores run the whole suite).
          const times = { foreign: [] as number[], unknown: [] as number[] };
          for (let i = 0; i < 7; i++) {
            for (const [which, call] of [
              ['foreign', foreign],
              ['unknown', unknown],
            ] as const) {
              const t0 = performance.now();
              await call().catch(() => undefined);
              times[which].push(performance.now() - t0);
            }
          }
          const [mf, mu] = [median(times.foreign), median(times.unknown)];
          const sameClass = Math.max(mf, mu) < 3 * Math.min(mf, mu) || Math.abs(mf - mu) < 25;
          expect(
            sameClass,
            `median ${mf.toFixed(1)} ms (foreign) vs ${mu.toFixed(1)} ms (unknown)`,
          ).toBe(true);

          // The base input is valid: with the owner's own id the same call gets past the lookup.
          const owner = await doctorWorld(h);
          const own = await settled(callPath(owner.who.caller, path, d.type, c.input(owner.ids)));
          expect(own).not.toEqual(onUnknown);
        }, 60_000);
      } else {
        it(`${path} ${field.path}: doctors are refused whatever the id; an admin gets ${c.adminUnknown ?? 'NOT_FOUND'} for an unknown one`, async () => {
          const owner = await doctorWorld(h);
          const admin = await signedInAgent(h, await h.make.admin());
          const existing =
            kind === 'job'
              ? await failedJob(h)
              : kind === 'plan'
                ? await throwawayPlan(h)
                : foreignId(kind, owner);
          for (const value of [existing, unknownId(field.format)]) {
            const asDoctor = await refusalOf(
              callPath(b.who.caller, path, d.type, withField(c.input(b.ids), field.path, value)),
            );
            expect(asDoctor.code).toBe('FORBIDDEN');
          }
          const unknown = callPath(
            admin.caller,
            path,
            d.type,
            withField(c.input(owner.ids), field.path, unknownId(field.format)),
          );
          if ((c.adminUnknown ?? 'NOT_FOUND') === 'ok') await unknown;
          else expect((await refusalOf(unknown)).code).toBe('NOT_FOUND');
          // The base input is valid: with an id that exists the admin gets past the lookup.
          await callPath(
            admin.caller,
            path,
            d.type,
            withField(c.input(owner.ids), field.path, existing),
          );
        }, 60_000);
      }
    }
  }
});

describe("A's rows never reach B", () => {
  let w: { a: DoctorWorld; b: DoctorWorld; aPhone: string; aArchived: string };

  beforeAll(async () => {
    // Fresh, distinctively named records, so a search that leaks would find them.
    const aPhone = freshPhone();
    const wa = await doctorWorld(h, {
      name: 'Bahodir Yusupov',
      patient: { firstName: 'Zuhriddin', lastName: 'Qoraboyev', phone: aPhone },
    });
    const wb = await doctorWorld(h, {
      name: 'Malika Ergasheva',
      patient: { firstName: 'Nodira', lastName: 'Saidova' },
    });
    const archived = await h.make.patient(wa.doctor, {
      firstName: 'Zuhriddin',
      lastName: 'Arxivov',
    });
    await wa.who.caller.patient.archive({ id: archived.id });
    w = { a: wa, b: wb, aPhone, aArchived: archived.id };
  }, 60_000);

  /** Everything B can list or count, as B sees it now. */
  async function bView(who: Who, own: Ids) {
    const c = who.caller;
    return {
      patients: await c.patient.list({}),
      byName: await c.patient.list({ search: 'Zuhriddin Qoraboyev' }),
      byPhone: await c.patient.list({ search: w.aPhone }),
      archived: await c.patient.list({ archived: true }),
      analyses: await c.analysis.list({}),
      stats: await c.analysis.stats(),
      files: await c.file.list({ patientId: own.patientId }),
      accessLog: await c.patient.accessLog({ id: own.patientId }),
      notifications: await c.notification.list(),
      unread: await c.notification.unreadCount(),
      payments: await c.payment.list(),
      subscription: await c.subscription.current(),
      sessions: await c.auth.sessions.list(),
    };
  }

  it("lists, searches, stats, notifications, payments and sessions show B only B's own", async () => {
    const { a: wa, b: wb } = w;
    const v = await bView(wb.who, wb.ids);
    expect(v.patients.items.map((p) => p.id)).toEqual([wb.ids.patientId]);
    expect(v.patients.total).toBe(1);
    expect(v.byName.items).toEqual([]);
    expect(v.byName.total).toBe(0);
    expect(v.byPhone.items).toEqual([]);
    expect(v.archived.items).toEqual([]);
    expect(v.analyses.items.map((x) => x.id)).toEqual([wb.ids.analysisId]);
    expect(v.stats.total).toBe(1);
    expect(v.stats.thisMonth).toBe(1);
    expect(v.stats.usage.used).toBe(1);
    // B's one completed analysis is the only one ranked.
    expect(v.stats.topConditions.map((t) => t.count)).toEqual([1]);
    expect(v.files.items.map((f) => f.id)).toEqual([wb.ids.fileId]);
    expect(v.accessLog.items.every((e) => e.actor === null || e.actor.id === wb.ids.userId)).toBe(
      true,
    );
    expect(v.notifications.items.map((n) => n.id)).toEqual([wb.ids.notificationId]);
    expect(v.unread.count).toBe(1);
    expect(v.payments.items.map((p) => p.id)).toEqual([wb.ids.paymentId]);
    expect(v.subscription.usage.used).toBe(1);
    expect(v.sessions.map((s) => s.id)).toEqual([wb.ids.sessionId]);
    // And A, the control, does see its own: the lists above are not empty by accident.
    const av = await bView(wa.who, wa.ids);
    expect(av.byName.items.map((p) => p.id)).toEqual([wa.ids.patientId]);
    expect(av.byPhone.items.map((p) => p.id)).toEqual([wa.ids.patientId]);
    expect(av.archived.items.map((p) => p.id)).toEqual([w.aArchived]);
  });

  it("A's activity moves none of B's numbers", async () => {
    const { a: wa, b: wb } = w;
    const before = await bView(wb.who, wb.ids);
    // A works: a new patient, two more analyses (one completed, with feedback), a
    // notification, a payment reviewed.
    const p = await wa.who.caller.patient.create({
      firstName: 'Zuhriddin',
      lastName: 'Yangiyev',
      sex: 'male',
      ageYears: 40,
    });
    for (let i = 0; i < 2; i++) {
      const an = await wa.who.caller.analysis.create({
        patientId: p.id,
        complaints: 'Yo‘tal',
        labs: [{ code: 'hemoglobin', value: 90, unit: 'g/L' }],
        idempotencyKey: idem(),
      });
      if (i === 0) {
        await h.services.analyses.run(an.id, { number: 1, max: 1 });
        const code = ((await wa.who.caller.analysis.get({ id: an.id })).report?.differential ??
          [])[0]?.code;
        if (code)
          await wa.who.caller.analysis.feedback({
            id: an.id,
            conditionCode: code,
            verdict: 'more_likely',
          });
      }
    }
    await notificationFor(h, wa.ids.userId);
    const admin = await signedInAgent(h, await h.make.admin());
    await admin.caller.admin.payment.reject({ id: wa.ids.paymentId!, reason: 'Chek o‘qilmaydi' });
    const after = await bView(wb.who, wb.ids);
    // Sessions carry last-seen times and the access log grows with B's own reads: compare ids.
    const ids = (v: typeof before) => ({
      ...v,
      accessLog: null,
      sessions: v.sessions.map((s) => s.id),
      subscription: v.subscription.usage,
    });
    expect(ids(after)).toEqual(ids(before));
  });
});
