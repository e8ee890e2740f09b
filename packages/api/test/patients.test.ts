import { signInDirectly, type TestDoctor } from '@medora/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, failure, type Agent, type Harness } from './harness';

// Patients through the real router: validation, what input may not decide, archive and restore,
// the access log, and what the audit trail keeps (never PHI).

let h: Harness;
let doctor: TestDoctor;
let a: Agent;
let other: Agent;

async function as(d: TestDoctor): Promise<Agent> {
  const agent = h.agent();
  agent.token = (await signInDirectly(h.services, d)).accessToken;
  return agent;
}

const count = async (workspaceId: string) =>
  Number(
    (
      await h.t.db
        .selectFrom('patients')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirstOrThrow()
    ).n,
  );

beforeAll(async () => {
  h = await createHarness();
  doctor = await h.make.doctor({ name: 'Nodira Yusupova' });
  a = await as(doctor);
  other = await as(await h.make.doctor({ name: 'Bobur Aliyev' }));
});
afterAll(() => h.close());

describe('patient.create', () => {
  it('trims and normalises what it stores, and ignores workspace, author and timestamps from input', async () => {
    const foreign = await h.make.doctor();
    const out = await a.caller.patient.create({
      firstName: '  Gʻulom ',
      lastName: "O'tkirov",
      middleName: '',
      birthDate: '1975-03-09',
      sex: 'male',
      phone: '+998 90 123-45-67',
      allergies: '  Penitsillin\r\n',
      notes: '',
      // Not part of the contract: dropped before the service sees the input.
      ...({
        workspaceId: foreign.workspaceId,
        createdBy: foreign.userId,
        createdAt: new Date('2001-01-01'),
        archivedAt: new Date('2001-01-01'),
      } as object),
    });
    expect(out).toMatchObject({
      firstName: 'Gʻulom',
      lastName: 'Oʻtkirov',
      middleName: null,
      birthDate: '1975-03-09',
      ageIsApproximate: false,
      phone: '+998901234567',
      allergies: 'Penitsillin',
      notes: null,
      archivedAt: null,
    });
    expect(out.createdAt.getFullYear()).toBeGreaterThan(2025);
    const row = await h.t.db
      .selectFrom('patients')
      .select(['workspace_id', 'created_by'])
      .where('id', '=', out.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ workspace_id: doctor.workspaceId, created_by: doctor.userId });
    expect(await count(foreign.workspaceId)).toBe(0);
  });

  it.each([
    [
      'neither birth date nor age',
      {},
      { birthDate: ['patient.birth_date_or_age'], ageYears: ['patient.birth_date_or_age'] },
    ],
    [
      'both birth date and age',
      { birthDate: '1990-01-01', ageYears: 30 },
      { birthDate: ['patient.birth_date_or_age'], ageYears: ['patient.birth_date_or_age'] },
    ],
    ['a birth date in the future', { birthDate: '2999-01-01' }, { birthDate: ['date.future'] }],
    ['a birth date before 1900', { birthDate: '1899-12-31' }, { birthDate: ['date.too_old'] }],
    ['an impossible date', { birthDate: '2001-02-30' }, { birthDate: ['date.invalid'] }],
    ['a negative age', { ageYears: -1 }, { ageYears: ['age.invalid'] }],
    ['an age of 131', { ageYears: 131 }, { ageYears: ['age.invalid'] }],
    ['a fractional age', { ageYears: 30.5 }, { ageYears: ['age.invalid'] }],
    [
      'notes over 5000 characters',
      { ageYears: 30, notes: 'x'.repeat(5001) },
      { notes: ['too_long'] },
    ],
    [
      'a control character',
      { ageYears: 30, address: 'Toshkent\u0007' },
      { address: ['text.invalid'] },
    ],
    ['a foreign phone', { ageYears: 30, phone: '+7 900 123 45 67' }, { phone: ['phone.invalid'] }],
    ['a digit in a name', { ageYears: 30, firstName: 'A1i' }, { firstName: ['name.invalid'] }],
  ])('refuses %s with field errors and writes nothing', async (_label, extra, fieldErrors) => {
    const before = await count(doctor.workspaceId);
    const err = await failure(
      a.caller.patient.create({
        firstName: 'Dilshod',
        lastName: 'Rahimov',
        sex: 'male',
        ...extra,
      }),
    );
    expect(err).toMatchObject({ code: 'BAD_REQUEST', appCode: 'VALIDATION_FAILED', fieldErrors });
    expect(await count(doctor.workspaceId)).toBe(before);
  });

  it('accepts a birth date of today and the edge lengths', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tashkent' }).format(
      new Date(),
    );
    const out = await a.caller.patient.create({
      firstName: 'Yangi',
      lastName: 'Tugʻilgan',
      sex: 'female',
      birthDate: today,
      notes: 'n'.repeat(5000),
    });
    expect(out).toMatchObject({ ageYears: 0, birthDate: today });
    expect(out.notes).toHaveLength(5000);
  });
});

describe('age', () => {
  it('grows with the years since an age was told, and says it is approximate', async () => {
    const p = await a.caller.patient.create({
      firstName: 'Karim',
      lastName: 'Sodiqov',
      sex: 'male',
      ageYears: 40,
    });
    expect(p).toMatchObject({ ageYears: 40, ageIsApproximate: true, birthDate: null });
    await h.t.db
      .updateTable('patients')
      .set({ age_recorded_on: '2020-01-01' })
      .where('id', '=', p.id)
      .execute();
    const later = await a.caller.patient.get({ id: p.id });
    const years =
      Number(
        new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tashkent', year: 'numeric' }).format(
          new Date(),
        ),
      ) - 2020;
    expect(later.ageYears).toBe(40 + years);
  });
});

describe('patient.update', () => {
  it('changes only the fields given, can clear optional ones, and swaps a birth date for an age', async () => {
    const p = await a.caller.patient.create({
      firstName: 'Malika',
      lastName: 'Ergasheva',
      sex: 'female',
      birthDate: '1988-07-01',
      phone: '901234568',
      notes: 'Birinchi',
    });
    const out = await a.caller.patient.update({ id: p.id, notes: null, ageYears: 36 });
    expect(out).toMatchObject({
      firstName: 'Malika',
      phone: '+998901234568',
      notes: null,
      birthDate: null,
      ageYears: 36,
      ageIsApproximate: true,
    });
    expect(out.updatedAt.getTime()).toBeGreaterThanOrEqual(p.updatedAt.getTime());
    // Renaming moves the search key with the name.
    await a.caller.patient.update({ id: p.id, lastName: 'Qodirova' });
    expect((await a.caller.patient.list({ search: 'Кодирова' })).items.map((x) => x.id)).toEqual([
      p.id,
    ]);
    expect((await a.caller.patient.list({ search: 'Ergasheva' })).total).toBe(0);
  });

  it('refuses to leave a record with both or neither of birth date and age', async () => {
    const p = await a.caller.patient.create({
      firstName: 'Aziza',
      lastName: 'Nurova',
      sex: 'female',
      ageYears: 25,
    });
    const err = await failure(
      a.caller.patient.update({ id: p.id, birthDate: '1999-01-01', ageYears: 25 }),
    );
    expect(err.fieldErrors).toMatchObject({ birthDate: ['patient.birth_date_or_age'] });
    const cleared = await failure(a.caller.patient.update({ id: p.id, ageYears: null }));
    expect(cleared.fieldErrors).toMatchObject({ ageYears: ['patient.birth_date_or_age'] });
  });
});

describe('archive and restore', () => {
  it('archived patients leave the list and search, keep their record, and come back', async () => {
    const p = await a.caller.patient.create({
      firstName: 'Sardor',
      lastName: 'Arxivov',
      sex: 'male',
      ageYears: 50,
    });
    expect((await a.caller.patient.list({ search: 'Arxivov' })).total).toBe(1);
    const archived = await a.caller.patient.archive({ id: p.id });
    expect(archived.archivedAt).toBeInstanceOf(Date);
    expect((await a.caller.patient.list({ search: 'Arxivov' })).total).toBe(0);
    expect((await a.caller.patient.list({})).items.map((x) => x.id)).not.toContain(p.id);
    expect((await a.caller.patient.list({ archived: true })).items.map((x) => x.id)).toContain(
      p.id,
    );
    await expect(a.caller.patient.get({ id: p.id })).resolves.toMatchObject({
      lastName: 'Arxivov',
    });
    // Archiving twice changes nothing (no second audit row).
    const again = await a.caller.patient.archive({ id: p.id });
    expect(again.archivedAt).toEqual(archived.archivedAt);
    const restored = await a.caller.patient.restore({ id: p.id });
    expect(restored.archivedAt).toBeNull();
    expect((await a.caller.patient.list({ search: 'Arxivov' })).total).toBe(1);
    const actions = await h.t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity_id', '=', p.id)
      .where('action', 'in', ['patient.archive', 'patient.restore'])
      .orderBy('id')
      .execute();
    expect(actions.map((r) => r.action)).toEqual(['patient.archive', 'patient.restore']);
  });
});

describe('the access log and the audit trail', () => {
  it('shows who viewed and changed the patient, and never another workspace’s attempts', async () => {
    const p = await a.caller.patient.create({
      firstName: 'Zulfiya',
      lastName: 'Hamidova',
      sex: 'female',
      ageYears: 61,
      phone: '+998 93 555 12 34',
      allergies: 'Aspirin',
      notes: 'Qandli diabet 2-tur',
    });
    await a.caller.patient.get({ id: p.id });
    await a.caller.patient.update({ id: p.id, notes: 'Insulin' });
    expect((await failure(other.caller.patient.get({ id: p.id }))).code).toBe('NOT_FOUND');
    const log = await a.caller.patient.accessLog({ id: p.id });
    expect(log.items.map((e) => e.action)).toEqual([
      'patient.update',
      'patient.view',
      'patient.create',
    ]);
    expect(log.items[0]).toMatchObject({
      outcome: 'success',
      actor: { id: doctor.userId, name: 'Nodira Yusupova', role: 'doctor' },
      ip: a.ip,
    });
    // B's refused attempt is in the trail, in B's workspace, as a denial.
    const denied = await h.t.db
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'workspace_id'])
      .where('entity_id', '=', p.id)
      .where('outcome', '=', 'denied')
      .execute();
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ action: 'patient.view', outcome: 'denied' });
    expect(denied[0]!.workspace_id).not.toBe(doctor.workspaceId);

    // A search is recorded as one, never with what was searched for.
    await a.caller.patient.list({ search: 'Hamidova' });
    const listed = await h.t.db
      .selectFrom('audit_log')
      .select(['meta', 'actor_user_id', 'entity_type'])
      .where('action', '=', 'patient.list')
      .where('workspace_id', '=', doctor.workspaceId)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(listed).toEqual({
      meta: { search: true, archived: false, count: 1 },
      actor_user_id: doctor.userId,
      entity_type: 'patient',
    });

    // No row of this workspace holds a name, phone, allergy or note.
    const rows = await h.t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('workspace_id', '=', doctor.workspaceId)
      .execute();
    const text = JSON.stringify(rows);
    for (const phi of [
      'Zulfiya',
      'Hamidova',
      '998935551234',
      '93 555',
      'Aspirin',
      'diabet',
      'Insulin',
      'Nodira',
    ])
      expect(text).not.toContain(phi);
  });

  it('pages the log with a cursor', async () => {
    const p = await a.caller.patient.create({
      firstName: 'Rustam',
      lastName: 'Ko‘p',
      sex: 'male',
      ageYears: 33,
    });
    for (let i = 0; i < 4; i++) await a.caller.patient.get({ id: p.id });
    const first = await a.caller.patient.accessLog({ id: p.id, limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await a.caller.patient.accessLog({
      id: p.id,
      limit: 2,
      cursor: first.nextCursor!,
    });
    const third = await a.caller.patient.accessLog({
      id: p.id,
      limit: 2,
      cursor: second.nextCursor!,
    });
    expect([...first.items, ...second.items, ...third.items].map((e) => e.action)).toEqual([
      'patient.view',
      'patient.view',
      'patient.view',
      'patient.view',
      'patient.create',
    ]);
    expect(third.nextCursor).toBeNull();
    expect(
      (await failure(a.caller.patient.accessLog({ id: p.id, cursor: 'bm9wZQ' }))).fieldErrors,
    ).toEqual({
      cursor: ['cursor.invalid'],
    });
  });
});
