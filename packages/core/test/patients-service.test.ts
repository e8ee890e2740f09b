import { doctorScope } from '../src/testing';
import {
  accessLogInput,
  createPatientInput,
  listPatientsInput,
  todayInTashkent,
  updatePatientInput,
  type CreatePatientInput,
} from '@medora/schema';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/errors';
import { listPatients } from '../src/patients/queries';
import { foldWords, patientSearchKey, searchTerms } from '../src/patients/search-key';
import { ageOf } from '../src/patients/service';
import type { DoctorScope } from '../src/scope';
import { coreServices, type CoreHarness } from './services';

// PatientService on a real database: what it stores and answers field by field, the search key
// it keeps in step with the name and phone, and the audit row of every read, change and denial.

let h: CoreHarness;
let scope: DoctorScope;
let otherScope: DoctorScope;

const scopeOf = (d: { userId: string; workspaceId: string }) => doctorScope(d);

beforeAll(async () => {
  h = await coreServices();
  scope = scopeOf(await h.make.doctor());
  otherScope = scopeOf(await h.make.doctor());
});
afterAll(() => h.close());

const create = (input: Partial<CreatePatientInput> = {}, s = scope) =>
  h.services.patients.create(
    s,
    createPatientInput.parse({
      firstName: 'Dilshod',
      lastName: 'Rahimov',
      sex: 'male',
      ...(input.birthDate === undefined && input.ageYears === undefined ? { ageYears: 40 } : {}),
      ...input,
    }),
  );
const update = (input: Record<string, unknown>, s = scope) =>
  h.services.patients.update(s, updatePatientInput.parse(input));

const stored = (id: string) =>
  h.t.db.selectFrom('patients').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

const auditOf = (id: string) =>
  h.t.db
    .selectFrom('audit_log')
    .select(['action', 'outcome', 'entity_type', 'actor_user_id', 'workspace_id', 'meta'])
    .where('entity_id', '=', id)
    .orderBy('id')
    .execute();

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return (err as AppError).code;
}

describe('ageOf', () => {
  it('counts full years from a birth date, and says the age is exact', () => {
    const row = { birth_date: '1980-05-17', age_years: null, age_recorded_on: null };
    expect(ageOf(row, '2026-05-16')).toEqual({ ageYears: 45, ageIsApproximate: false });
    expect(ageOf(row, '2026-05-17')).toEqual({ ageYears: 46, ageIsApproximate: false });
  });

  it('adds the years since an age was told, and says it is approximate', () => {
    const row = { birth_date: null, age_years: 40, age_recorded_on: '2020-03-01' };
    expect(ageOf(row, '2020-03-01')).toEqual({ ageYears: 40, ageIsApproximate: true });
    expect(ageOf(row, '2023-02-28')).toEqual({ ageYears: 42, ageIsApproximate: true });
    expect(ageOf(row, '2023-03-01')).toEqual({ ageYears: 43, ageIsApproximate: true });
  });

  it('never lets the age shrink when the recorded day is ahead of today', () => {
    const row = { birth_date: null, age_years: 40, age_recorded_on: '2030-01-01' };
    expect(ageOf(row, '2026-01-01')).toEqual({ ageYears: 40, ageIsApproximate: true });
  });

  it('takes a missing age or recorded day as nothing to add', () => {
    expect(ageOf({ birth_date: null, age_years: 7, age_recorded_on: null }, '2040-01-01')).toEqual({
      ageYears: 7,
      ageIsApproximate: true,
    });
    expect(
      ageOf({ birth_date: null, age_years: null, age_recorded_on: '2020-01-01' }, '2026-06-01'),
    ).toEqual({ ageYears: 6, ageIsApproximate: true });
  });

  it('counts from today in Tashkent when no day is given', () => {
    const today = todayInTashkent();
    const tenYearsAgo = `${Number(today.slice(0, 4)) - 10}${today.slice(4)}`;
    expect(ageOf({ birth_date: tenYearsAgo, age_years: null, age_recorded_on: null })).toEqual({
      ageYears: 10,
      ageIsApproximate: false,
    });
  });
});

describe('PatientService.create and get', () => {
  it('stores and answers every field, and audits the creation and each view', async () => {
    const p = await create({
      firstName: 'Zulfiya',
      lastName: 'Hamidova',
      middleName: 'Karimovna',
      birthDate: '1965-02-03',
      sex: 'female',
      phone: '+998 93 555 12 34',
      address: 'Toshkent, Chilonzor 5',
      allergies: 'Aspirin',
      chronicConditions: 'Qandli diabet',
      currentMedications: 'Metformin',
      notes: 'Har oy',
    });
    const expected = {
      id: p.id,
      firstName: 'Zulfiya',
      lastName: 'Hamidova',
      middleName: 'Karimovna',
      birthDate: '1965-02-03',
      ageYears: ageOf({ birth_date: '1965-02-03', age_years: null, age_recorded_on: null })
        .ageYears,
      ageIsApproximate: false,
      sex: 'female',
      phone: '+998935551234',
      archivedAt: null,
      createdAt: expect.any(Date) as unknown,
      address: 'Toshkent, Chilonzor 5',
      allergies: 'Aspirin',
      chronicConditions: 'Qandli diabet',
      currentMedications: 'Metformin',
      notes: 'Har oy',
      updatedAt: expect.any(Date) as unknown,
    };
    expect(p).toEqual(expected);
    expect(await h.services.patients.get(scope, p.id)).toEqual(expected);
    const row = await stored(p.id);
    expect(row).toMatchObject({
      workspace_id: scope.workspaceId,
      created_by: scope.userId,
      birth_date: '1965-02-03',
      age_years: null,
      age_recorded_on: null,
      search_key: ' hamidova zulfiya karimovna 998935551234 ',
    });
    expect(await auditOf(p.id)).toEqual([
      {
        action: 'patient.create',
        outcome: 'success',
        entity_type: 'patient',
        actor_user_id: scope.userId,
        workspace_id: scope.workspaceId,
        meta: {},
      },
      {
        action: 'patient.view',
        outcome: 'success',
        entity_type: 'patient',
        actor_user_id: scope.userId,
        workspace_id: scope.workspaceId,
        meta: {},
      },
    ]);
  });

  it('stores a told age with the day it was told, and leaves optional fields empty', async () => {
    const p = await create({ firstName: 'Karim', lastName: 'Sodiqov', ageYears: 52 });
    expect(p).toMatchObject({
      birthDate: null,
      ageYears: 52,
      ageIsApproximate: true,
      middleName: null,
      phone: null,
      address: null,
      allergies: null,
      chronicConditions: null,
      currentMedications: null,
      notes: null,
    });
    const row = await stored(p.id);
    expect(row).toMatchObject({
      birth_date: null,
      age_years: 52,
      age_recorded_on: todayInTashkent(),
      search_key: ' sodikov karim ',
    });
  });

  it("answers NOT_FOUND for another workspace's patient and an unknown id, auditing each", async () => {
    const p = await create();
    expect(await refusal(h.services.patients.get(otherScope, p.id))).toBe('NOT_FOUND');
    const unknown = '00000000-0000-4000-8000-00000000abcd';
    expect(await refusal(h.services.patients.get(scope, unknown))).toBe('NOT_FOUND');
    expect((await auditOf(p.id)).at(-1)).toEqual({
      action: 'patient.view',
      outcome: 'denied',
      entity_type: 'patient',
      actor_user_id: otherScope.userId,
      workspace_id: otherScope.workspaceId,
      meta: {},
    });
    expect(await auditOf(unknown)).toEqual([
      expect.objectContaining({ action: 'patient.view', outcome: 'denied' }),
    ]);
  });
});

describe('PatientService.update', () => {
  it('changes each field on its own and leaves every other one as it was', async () => {
    const p = await create({
      firstName: 'Malika',
      lastName: 'Ergasheva',
      middleName: 'Anvarovna',
      birthDate: '1988-07-01',
      sex: 'female',
      phone: '+998901234568',
      address: 'Samarqand',
      allergies: 'Yoʻq',
      chronicConditions: 'Astma',
      currentMedications: 'Salbutamol',
      notes: 'Birinchi',
    });
    const { updatedAt: _u, ...before } = p;
    const changes: [string, unknown, Record<string, unknown>][] = [
      ['firstName', 'Madina', { firstName: 'Madina' }],
      ['lastName', 'Qodirova', { lastName: 'Qodirova' }],
      ['middleName', 'Anvar qizi', { middleName: 'Anvar qizi' }],
      ['sex', 'male', { sex: 'male' }],
      ['phone', '+998 90 765 43 21', { phone: '+998907654321' }],
      ['address', 'Buxoro', { address: 'Buxoro' }],
      ['allergies', 'Penitsillin', { allergies: 'Penitsillin' }],
      ['chronicConditions', 'Gipertoniya', { chronicConditions: 'Gipertoniya' }],
      ['currentMedications', 'Lizinopril', { currentMedications: 'Lizinopril' }],
      ['notes', 'Ikkinchi', { notes: 'Ikkinchi' }],
    ];
    let expected: Record<string, unknown> = before;
    for (const [field, value, out] of changes) {
      const { updatedAt: _t, ...after } = await update({ id: p.id, [field]: value });
      expected = { ...expected, ...out };
      expect(after, field).toEqual(expected);
      const { updatedAt: _g, ...read } = await h.services.patients.get(scope, p.id);
      expect(read, field).toEqual(expected);
    }
  });

  it('clears optional fields given as null', async () => {
    const p = await create({
      middleName: 'Karimovich',
      phone: '+998901112233',
      address: 'Xiva',
      allergies: 'Chang',
      chronicConditions: 'Yoʻq',
      currentMedications: 'Yoʻq',
      notes: 'Eslatma',
    });
    const out = await update({
      id: p.id,
      middleName: null,
      phone: null,
      address: null,
      allergies: null,
      chronicConditions: null,
      currentMedications: null,
      notes: null,
    });
    expect(out).toMatchObject({
      middleName: null,
      phone: null,
      address: null,
      allergies: null,
      chronicConditions: null,
      currentMedications: null,
      notes: null,
    });
    expect((await stored(p.id)).search_key).toBe(' rahimov dilshod ');
  });

  it('swaps a birth date for a told age and back, keeping the day the age was told', async () => {
    const p = await create({ birthDate: '1990-01-15' });
    const aged = await update({ id: p.id, ageYears: 35 });
    expect(aged).toMatchObject({ birthDate: null, ageYears: 35, ageIsApproximate: true });
    expect(await stored(p.id)).toMatchObject({
      birth_date: null,
      age_years: 35,
      age_recorded_on: todayInTashkent(),
    });
    // Another field alone leaves the age and its day alone.
    await h.t.db
      .updateTable('patients')
      .set({ age_recorded_on: '2020-01-01' })
      .where('id', '=', p.id)
      .execute();
    await update({ id: p.id, notes: 'x' });
    expect(await stored(p.id)).toMatchObject({ age_years: 35, age_recorded_on: '2020-01-01' });
    const dated = await update({ id: p.id, birthDate: '1991-02-02', ageYears: null });
    expect(dated).toMatchObject({ birthDate: '1991-02-02', ageIsApproximate: false });
    expect(await stored(p.id)).toMatchObject({
      birth_date: '1991-02-02',
      age_years: null,
      age_recorded_on: null,
    });
    const again = await update({ id: p.id, birthDate: null, ageYears: 12 });
    expect(again).toMatchObject({ birthDate: null, ageYears: 12 });
  });

  it('keeps the search key in step with the name and phone, whichever of them changes', async () => {
    const p = await create({
      firstName: 'Alisher',
      lastName: 'Shukurov',
      middleName: 'Gʻani',
      phone: '+998901230000',
    });
    expect((await stored(p.id)).search_key).toBe(' shukurov alisher gani 998901230000 ');
    await update({ id: p.id, notes: 'only a note' });
    expect((await stored(p.id)).search_key).toBe(' shukurov alisher gani 998901230000 ');
    await update({ id: p.id, firstName: 'Ҳасан' });
    expect((await stored(p.id)).search_key).toBe(' shukurov hasan gani 998901230000 ');
    await update({ id: p.id, lastName: 'Qodirov' });
    expect((await stored(p.id)).search_key).toBe(' kodirov hasan gani 998901230000 ');
    await update({ id: p.id, middleName: 'Ergash' });
    expect((await stored(p.id)).search_key).toBe(' kodirov hasan ergash 998901230000 ');
    await update({ id: p.id, phone: '+998911119999' });
    expect((await stored(p.id)).search_key).toBe(' kodirov hasan ergash 998911119999 ');
    await update({ id: p.id, middleName: null, phone: null });
    expect((await stored(p.id)).search_key).toBe(' kodirov hasan ');
  });

  it('audits which fields changed, sorted, never their values', async () => {
    const p = await create();
    await update({ id: p.id, notes: 'Maxfiy', address: 'Namangan', firstName: 'Jasur' });
    await h.services.patients.update(scope, { id: p.id, phone: undefined, allergies: 'Chang' });
    const rows = (await auditOf(p.id)).filter((a) => a.action === 'patient.update');
    expect(rows).toEqual([
      {
        action: 'patient.update',
        outcome: 'success',
        entity_type: 'patient',
        actor_user_id: scope.userId,
        workspace_id: scope.workspaceId,
        meta: { fields: 'address,firstName,notes' },
      },
      expect.objectContaining({ meta: { fields: 'allergies' } }),
    ]);
  });

  it("refuses another workspace's patient, changes nothing, and audits the denial", async () => {
    const p = await create({ firstName: 'Bobur' });
    expect(await refusal(update({ id: p.id, firstName: 'Hacked' }, otherScope))).toBe('NOT_FOUND');
    expect((await stored(p.id)).first_name).toBe('Bobur');
    expect((await auditOf(p.id)).at(-1)).toMatchObject({
      action: 'patient.update',
      outcome: 'denied',
      actor_user_id: otherScope.userId,
    });
  });
});

describe('PatientService.list', () => {
  it('audits whether it was a search, which list, and how many came back, never the text', async () => {
    const s = scopeOf(await h.make.doctor());
    await create({ firstName: 'Sardor', lastName: 'Listov' }, s);
    await create({ firstName: 'Sanjar', lastName: 'Listov' }, s);
    const all = await h.services.patients.list(s, listPatientsInput.parse({}));
    expect(all.total).toBe(2);
    expect(all.items.map((i) => i.firstName).sort()).toEqual(['Sanjar', 'Sardor']);
    expect(all.items[0]).toMatchObject({ lastName: 'Listov', ageYears: 40 });
    const found = await h.services.patients.list(s, listPatientsInput.parse({ search: 'Sardor' }));
    expect(found.items.map((i) => i.firstName)).toEqual(['Sardor']);
    const archived = await h.services.patients.list(s, listPatientsInput.parse({ archived: true }));
    expect(archived.items).toEqual([]);
    const rows = await h.t.db
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'entity_type', 'actor_user_id', 'meta'])
      .where('workspace_id', '=', s.workspaceId)
      .where('action', '=', 'patient.list')
      .orderBy('id')
      .execute();
    const actor = { action: 'patient.list', outcome: 'success', entity_type: 'patient' };
    expect(rows).toEqual([
      { ...actor, actor_user_id: s.userId, meta: { search: false, archived: false, count: 2 } },
      { ...actor, actor_user_id: s.userId, meta: { search: true, archived: false, count: 1 } },
      { ...actor, actor_user_id: s.userId, meta: { search: false, archived: true, count: 0 } },
    ]);
    expect(JSON.stringify(rows)).not.toContain('Sardor');
  });
});

describe('archive and restore', () => {
  it('archives and restores once each, auditing only what changed', async () => {
    const p = await create({ firstName: 'Arxiv' });
    const archived = await h.services.patients.archive(scope, p.id);
    expect(archived.archivedAt).toBeInstanceOf(Date);
    expect(archived).toMatchObject({ id: p.id, firstName: 'Arxiv' });
    const twice = await h.services.patients.archive(scope, p.id);
    expect(twice.archivedAt).toEqual(archived.archivedAt);
    const restored = await h.services.patients.restore(scope, p.id);
    expect(restored).toMatchObject({ id: p.id, archivedAt: null, firstName: 'Arxiv' });
    const again = await h.services.patients.restore(scope, p.id);
    expect(again.archivedAt).toBeNull();
    const rows = (await auditOf(p.id)).filter((a) => a.action !== 'patient.create');
    expect(rows).toEqual([
      {
        action: 'patient.archive',
        outcome: 'success',
        entity_type: 'patient',
        actor_user_id: scope.userId,
        workspace_id: scope.workspaceId,
        meta: {},
      },
      {
        action: 'patient.restore',
        outcome: 'success',
        entity_type: 'patient',
        actor_user_id: scope.userId,
        workspace_id: scope.workspaceId,
        meta: {},
      },
    ]);
  });

  it("refuses another workspace's patient either way, and audits each denial by its action", async () => {
    const p = await create();
    expect(await refusal(h.services.patients.archive(otherScope, p.id))).toBe('NOT_FOUND');
    expect(await refusal(h.services.patients.restore(otherScope, p.id))).toBe('NOT_FOUND');
    expect((await stored(p.id)).archived_at).toBeNull();
    const denied = (await auditOf(p.id)).filter((a) => a.outcome === 'denied');
    expect(denied.map((a) => [a.action, a.entity_type, a.actor_user_id])).toEqual([
      ['patient.archive', 'patient', otherScope.userId],
      ['patient.restore', 'patient', otherScope.userId],
    ]);
  });
});

describe('PatientService.accessLog', () => {
  it("shows the patient's trail to its workspace and refuses it to another", async () => {
    const p = await create();
    await h.services.patients.get(scope, p.id);
    const log = await h.services.patients.accessLog(scope, accessLogInput.parse({ id: p.id }));
    expect(log.items.map((e) => e.action)).toEqual(['patient.view', 'patient.create']);
    expect(
      await refusal(h.services.patients.accessLog(otherScope, accessLogInput.parse({ id: p.id }))),
    ).toBe('NOT_FOUND');
    expect((await auditOf(p.id)).at(-1)).toMatchObject({
      action: 'patient.access_log',
      outcome: 'denied',
      entity_type: 'patient',
      actor_user_id: otherScope.userId,
    });
  });
});

describe('the search key', () => {
  it('folds each spelling difference on its own', () => {
    expect(foldWords('Khurshid')).toEqual(['hurshid']);
    expect(foldWords('Zhanna')).toEqual(['janna']);
    expect(foldWords('Xolmatov')).toEqual(['holmatov']);
    expect(foldWords('Qosim')).toEqual(['kosim']);
    expect(foldWords('Yelena')).toEqual(['elena']);
    expect(foldWords('Ali Yevgeniy')).toEqual(['ali', 'evgeniy']);
    // Every occurrence, not the first only.
    expect(foldWords('Xoxlov')).toEqual(['hohlov']);
    expect(foldWords('Qoqon')).toEqual(['kokon']);
    expect(foldWords('Khakhaev')).toEqual(['hahaev']);
    expect(foldWords('Zhuzhzha')).toEqual(['jujja']);
  });

  it('drops accents and every typing of the Uzbek apostrophe', () => {
    expect(foldWords('José Ñuñez')).toEqual(['jose', 'nunez']);
    for (const typed of ["G'ulom", 'G‘ulom', 'G’ulom', 'G`ulom', 'Gʻulom', 'Gʼulom'])
      expect(foldWords(typed), typed).toEqual(['gulom']);
  });

  it('maps the Cyrillic letters that differ from a plain transliteration', () => {
    expect(foldWords('Щукин')).toEqual(['shukin']);
    expect(foldWords('Цой')).toEqual(['tsoy']);
    expect(foldWords('Юлия Яковлева')).toEqual(['yuliya', 'yakovleva']);
    expect(foldWords('Ёқубов')).toEqual(['yokubov']);
    expect(foldWords('Объект Ильич')).toEqual(['obekt', 'ilich']);
    expect(foldWords('Рыбаков Эрик')).toEqual(['ribakov', 'erik']);
  });

  it('keeps digits and splits on everything that is not a letter or digit', () => {
    expect(foldWords('Ali-Vali 2 (Toshkent)')).toEqual(['ali', 'vali', '2', 'toshkent']);
    expect(foldWords('  ,, ')).toEqual([]);
  });

  it('stores the phone digits last, and no phone part without a phone', () => {
    expect(patientSearchKey({ firstName: 'Ali', lastName: 'Valiev', phone: '+998 90 1' })).toBe(
      ' valiev ali 998901 ',
    );
    expect(patientSearchKey({ firstName: 'Ali', lastName: 'Valiev', phone: null })).toBe(
      ' valiev ali ',
    );
    expect(patientSearchKey({ firstName: 'Ali', lastName: 'Valiev', phone: '' })).toBe(
      ' valiev ali ',
    );
    expect(patientSearchKey({ firstName: 'Ali', lastName: 'Valiev', middleName: null })).toBe(
      ' valiev ali ',
    );
  });

  it('reads a search of digits and phone punctuation as a number, and anything else as words', () => {
    expect(searchTerms('+998 (90) 123-45.67')).toEqual({ words: [], digits: '998901234567' });
    expect(searchTerms('901')).toEqual({ words: [], digits: '901' });
    // Punctuation without a digit is no number.
    expect(searchTerms('() -')).toEqual({ words: [], digits: null });
    // A letter anywhere makes it words.
    expect(searchTerms('90 Ali')).toEqual({ words: ['90', 'ali'], digits: null });
    expect(searchTerms('a90')).toEqual({ words: ['a90'], digits: null });
    expect(searchTerms('90a')).toEqual({ words: ['90a'], digits: null });
    // At most five words count.
    expect(searchTerms('a b c d e f g')).toEqual({
      words: ['a', 'b', 'c', 'd', 'e'],
      digits: null,
    });
  });
});

describe('PatientService.list pages and orders', () => {
  const list = (s: DoctorScope, input: Record<string, unknown>) =>
    h.services.patients.list(s, listPatientsInput.parse(input));

  it('orders archived patients by when they were archived, newest first', async () => {
    const s = scopeOf(await h.make.doctor());
    const first = await create({ firstName: 'Birinchi' }, s);
    const second = await create({ firstName: 'Ikkinchi' }, s);
    const third = await create({ firstName: 'Uchinchi' }, s);
    // Archived in another order than they were created.
    for (const p of [second, third, first]) await h.services.patients.archive(s, p.id);
    const all = await list(s, { archived: true });
    expect(all.items.map((p) => p.firstName)).toEqual(['Birinchi', 'Uchinchi', 'Ikkinchi']);
    // The cursor follows the same order.
    const page1 = await list(s, { archived: true, limit: 2 });
    expect(page1.items.map((p) => p.firstName)).toEqual(['Birinchi', 'Uchinchi']);
    const page2 = await list(s, { archived: true, limit: 2, cursor: page1.nextCursor });
    expect(page2.items.map((p) => p.firstName)).toEqual(['Ikkinchi']);
    expect(page2.nextCursor).toBeNull();
  });

  it('offers a next page only when more rows follow', async () => {
    const s = scopeOf(await h.make.doctor());
    for (const firstName of ['Anvar', 'Bahrom']) await create({ firstName }, s);
    for (const sort of ['recent', 'name'] as const) {
      const whole = await list(s, { sort, limit: 2 });
      expect(whole.items, sort).toHaveLength(2);
      expect(whole.nextCursor, sort).toBeNull();
      const half = await list(s, { sort, limit: 1 });
      expect(half.nextCursor, sort).toEqual(expect.any(String));
      const rest = await list(s, { sort, limit: 1, cursor: half.nextCursor });
      expect(rest.items, sort).toHaveLength(1);
      expect(rest.items[0]!.id, sort).not.toBe(half.items[0]!.id);
      expect(rest.nextCursor, sort).toBeNull();
    }
    const searched = await list(s, { search: 'Rahimov', limit: 2 });
    expect(searched.total).toBe(2);
    expect(searched.nextCursor).toBeNull();
  });

  it('finds a name by its first letter, which trigram similarity alone does not', async () => {
    const s = scopeOf(await h.make.doctor());
    await create({ firstName: 'Zafar', lastName: 'Toirov' }, s);
    await create({ firstName: 'Olim', lastName: 'Nazarov' }, s);
    const found = await list(s, { search: 'Z' });
    expect(found.items.map((p) => p.firstName)).toEqual(['Zafar']);
    expect(found).toMatchObject({ total: 1, totalCapped: false });
  });

  it('answers a search of punctuation only with nothing, and says the total is exact', async () => {
    const s = scopeOf(await h.make.doctor());
    await create({}, s);
    expect(await list(s, { search: '--' })).toEqual({
      items: [],
      total: 0,
      totalCapped: false,
      nextCursor: null,
    });
  });

  it('puts the planner switches back after a search, for the rest of the transaction', async () => {
    const s = scopeOf(await h.make.doctor());
    await create({ firstName: 'Rejim' }, s);
    const settings = await h.t.db.transaction().execute(async (trx) => {
      await listPatients(trx, s, listPatientsInput.parse({ search: 'Rejim' }));
      const { rows } = await sql<{ seq: string; idx: string; bitmap: string }>`
        select current_setting('enable_seqscan') as seq, current_setting('enable_indexscan') as idx,
               current_setting('enable_bitmapscan') as bitmap`.execute(trx);
      return rows[0];
    });
    expect(settings).toEqual({ seq: 'on', idx: 'on', bitmap: 'on' });
  });
});
