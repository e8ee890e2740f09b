/**
 * The data generator: doctors, workspaces, patients with realistic Uzbek (Latin and Cyrillic) and
 * Russian names, and completed analyses carrying the clinical engine's real report. Every value
 * comes from a seeded PRNG (BENCH_SEED): the same seed gives the same rows. Rows go in with one
 * `insert … select from unnest(…)` per batch of thousands (one round trip each).
 */
import { analyze } from '@medora/clinical';
import { patientSearchKey } from '@medora/core';
import { testPasswordHash } from '@medora/core/testing';
import { analysisInput, analysisReport } from '@medora/schema';
import type { Pool } from './db';
import { REALISTIC_INPUT } from './input';

export const SEED = Number(process.env.BENCH_SEED ?? 20261202);
export const PATIENTS_PER_OTHER = 100;

// Reproducible data

/** mulberry32: a small, fast, seeded PRNG (uniform in [0, 1)). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(SEED);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(list: readonly T[]): T => list[int(list.length)]!;
const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
/** A version-4-shaped UUID from the seeded stream. */
function uuid(): string {
  const h = [0, 1, 2, 3].map(() => hex(int(2 ** 32))).join('');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// Uzbek Latin (official apostrophes, as the name schema normalises them), Uzbek Cyrillic and
// Russian names. Surnames are roots: -ov/-ova or -yev/-yeva (-ев/-ева in Cyrillic) is added.
const words = (s: string) => s.split(' ');
const pairs = (s: string) => words(s).map((w) => w.split('/') as [string, string]);
const UZ_LATIN = {
  male: words(
    'Alisher Bobur Jasur Oʻtkir Gʻayrat Sardor Sherzod Dilshod Rustam Otabek Ulugʻbek Shoxrux Jamshid Farrux Akmal Botir Nodir Zafar Islom Javlon Temur Bekzod Doniyor Shuhrat Abdulla Gʻulom Xasan Husan Oybek Anvar Sanjar Xurshid',
  ),
  female: words(
    'Dilnoza Gulnora Nigora Shahnoza Madina Zarina Malika Mohira Oʻgiloy Gʻuncha Feruza Nodira Sevara Munisa Dildora Kamola Barno Lola Yulduz Zulfiya Oydin Mavluda Nilufar Hulkar Sitora Mohinur',
  ),
  ov: words(
    'Karim Rahim Yusup Tursun Sobir Xolmat Qodir Rashid Usmon Nazar Sultan Ahmad Gʻofur Oʻroz Toshmat Ismoil Hamid Jalil Said Shukur Xoliq Norboy Qurbon Ergash Safar Yoqub',
  ),
  yev: words('Ali Abdulla Mirza Musa Isa Yahyo Boboy Xoja Tojiboy'),
};
const UZ_CYRILLIC = {
  male: words(
    'Алишер Бобур Жасур Ўткир Ғайрат Сардор Шерзод Дилшод Улуғбек Отабек Шоҳрух Жамшид Ҳасан Ҳусан Ботир Нодир Зафар Темур Бекзод Анвар',
  ),
  female: words(
    'Дилноза Гулнора Нигора Шаҳноза Мадина Ўғилой Ғунча Феруза Севара Муниса Ҳулкар Малика Камола Зулфия Нилуфар',
  ),
  ov: words(
    'Карим Раҳим Юсуп Турсун Собир Холмат Қодир Рашид Усмон Назар Ғофур Ўроз Тошмат Исмоил Ҳамид Жалил Шукур Қурбон Эргаш',
  ),
  yev: words('Али Абдулла Мирза Муса Яҳё Хожа'),
};
const RUSSIAN = {
  male: words(
    'Александр Алексей Дмитрий Сергей Андрей Михаил Иван Николай Владимир Евгений Артём Игорь Павел Олег Виктор Юрий',
  ),
  female: words(
    'Елена Ольга Наталья Татьяна Ирина Светлана Анна Мария Екатерина Юлия Жанна Людмила Галина Марина',
  ),
  surnames: pairs(
    'Иванов/Иванова Петров/Петрова Смирнов/Смирнова Кузнецов/Кузнецова Попов/Попова Соколов/Соколова Лебедев/Лебедева Новиков/Новикова Морозов/Морозова Волков/Волкова Соловьёв/Соловьёва Васильев/Васильева Зайцев/Зайцева Павлов/Павлова Семёнов/Семёнова Ким/Ким Цой/Цой Пак/Пак Григорьев/Григорьева Фёдоров/Фёдорова',
  ),
  patronymics: pairs(
    'Александрович/Александровна Сергеевич/Сергеевна Николаевич/Николаевна Владимирович/Владимировна Алексеевич/Алексеевна Иванович/Ивановна Викторович/Викторовна Юрьевич/Юрьевна Михайлович/Михайловна',
  ),
};
const OPERATORS = ['90', '91', '93', '94', '95', '97', '98', '99'];

type Sex = 'male' | 'female';
export interface Person {
  first: string;
  last: string;
  middle: string | null;
  sex: Sex;
}

/** An Uzbek name in one script: its words, surname endings and patronymic words. */
interface UzbekNaming {
  names: typeof UZ_LATIN;
  /** -yev/-yeva and -ov/-ova (male, female). */
  yev: [string, string];
  ov: [string, string];
  /** "son of" / "daughter of" after the father's name. */
  child: [string, string];
}
const UZ_LATIN_NAMING: UzbekNaming = {
  names: UZ_LATIN,
  yev: ['yev', 'yeva'],
  ov: ['ov', 'ova'],
  child: ['oʻgʻli', 'qizi'],
};
const UZ_CYRILLIC_NAMING: UzbekNaming = {
  names: UZ_CYRILLIC,
  yev: ['ев', 'ева'],
  ov: ['ов', 'ова'],
  child: ['ўғли', 'қизи'],
};

/** The PRNG is drawn in the same order for either script, so a seed gives the same rows. */
function uzbek(sex: Sex, { names, yev: yevEndings, ov, child }: UzbekNaming): Person {
  const m = sex === 'male';
  const k = m ? 0 : 1;
  const yev = rand() < 0.2;
  const rootName = pick(yev ? names.yev : names.ov);
  return {
    sex,
    first: pick(m ? names.male : names.female),
    last: rootName + (yev ? yevEndings : ov)[k],
    middle: rand() < 0.75 ? `${pick(names.male)} ${child[k]}` : null,
  };
}

function person(): Person {
  const sex: Sex = rand() < 0.5 ? 'male' : 'female';
  const m = sex === 'male';
  const style = rand();
  if (style < 0.7) return uzbek(sex, style < 0.45 ? UZ_LATIN_NAMING : UZ_CYRILLIC_NAMING);
  const [mSurname, fSurname] = pick(RUSSIAN.surnames);
  const [mPatronymic, fPatronymic] = pick(RUSSIAN.patronymics);
  return {
    sex,
    first: pick(m ? RUSSIAN.male : RUSSIAN.female),
    last: m ? mSurname : fSurname,
    middle: rand() < 0.9 ? (m ? mPatronymic : fPatronymic) : null,
  };
}

/** Fixed "now" of the generated history, so a seed always gives the same rows. */
const EPOCH = Date.parse('2026-12-01T06:00:00Z');
const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface PatientBatch {
  cols: unknown[][];
  /** A sample of what was written, to build searches that match real rows. */
  sample: { id: string; person: Person; phone: string | null }[];
}

const COLUMNS = [
  ['id', 'uuid'],
  ['workspace_id', 'uuid'],
  ['created_by', 'uuid'],
  ['first_name', 'text'],
  ['last_name', 'text'],
  ['middle_name', 'text'],
  ['search_key', 'text'],
  ['birth_date', 'date'],
  ['age_years', 'smallint'],
  ['age_recorded_on', 'date'],
  ['sex', 'patient_sex'],
  ['phone', 'text'],
  ['archived_at', 'timestamptz'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
] as const;
// One round trip per batch: each column is one array parameter, unnested into rows.
const INSERT_PATIENTS = `insert into patients (${COLUMNS.map(([c]) => c).join(', ')}) select * from unnest(${COLUMNS.map(([, t], i) => `$${i + 1}::${t}[]`).join(', ')})`;

function patients(owner: { userId: string; workspaceId: string }, n: number): PatientBatch {
  const cols: unknown[][] = COLUMNS.map(() => []);
  const sample: PatientBatch['sample'] = [];
  for (let i = 0; i < n; i++) {
    const p = person();
    const phone =
      rand() < 0.6 ? `+998${pick(OPERATORS)}${String(int(10_000_000)).padStart(7, '0')}` : null;
    const created = EPOCH - int(3 * 365 * DAY);
    const hasBirthDate = rand() < 0.85;
    const id = uuid();
    const row = [
      id,
      owner.workspaceId,
      owner.userId,
      p.first,
      p.last,
      p.middle,
      patientSearchKey({ firstName: p.first, lastName: p.last, middleName: p.middle, phone }),
      hasBirthDate ? isoDay(Date.parse('1935-01-01') + int(90 * 365) * DAY) : null,
      hasBirthDate ? null : int(95),
      hasBirthDate ? null : isoDay(created),
      p.sex,
      phone,
      rand() < 0.02 ? new Date(created + int(200) * DAY + 1).toISOString() : null,
      new Date(created).toISOString(),
      new Date(created).toISOString(),
    ];
    row.forEach((v, c) => cols[c]!.push(v));
    if (sample.length < 500 && !row[12] && rand() < 0.05) sample.push({ id, person: p, phone });
  }
  return { cols, sample };
}

export interface Doctor {
  userId: string;
  workspaceId: string;
}

export interface Seeded {
  /** The measured doctor, owner of the big workspace. */
  doctor: Doctor;
  others: Doctor[];
  /** Every generated patient's id, per workspace: analyses are written for them. */
  patientIds: Map<string, string[]>;
  sample: PatientBatch['sample'];
}

/**
 * `otherWorkspaces + 1` doctors (users, personal workspaces in trial, owner memberships — as the
 * test factories write them), `mainPatients` patients for the first and 100 for each other one.
 */
export async function seedPatients(
  pool: Pool,
  opts: { mainPatients: number; otherWorkspaces: number; log: (msg: string) => void },
): Promise<Seeded> {
  const plan = await pool.query<{ id: string }>(`select id from plans where code = 'trial'`);
  const planId = plan.rows[0]!.id;
  const doctors = Array.from({ length: opts.otherWorkspaces + 1 }, (_, i) => ({
    userId: uuid(),
    workspaceId: uuid(),
    phone: `+99871${String(i).padStart(7, '0')}`,
    name: i === 0 ? 'Dilnoza Karimova' : `${pick(UZ_LATIN.female)} ${pick(UZ_LATIN.ov)}ova`,
  }));
  // As the test factories write them: one password hash, a personal workspace in trial.
  const hash = await testPasswordHash();
  await pool.query(
    `insert into users (id, phone, name, password_hash, role, locale, is_active)
     select id, phone, name, $4, 'doctor', 'uz', true from unnest($1::uuid[], $2::text[], $3::text[]) as t(id, phone, name)`,
    [doctors.map((d) => d.userId), doctors.map((d) => d.phone), doctors.map((d) => d.name), hash],
  );
  await pool.query(
    `insert into workspaces (id, name, kind, plan_id, subscription_status, trial_ends_at, current_period_end)
     select id, name, 'personal', $3, 'trialing', now() + make_interval(days => 7), null from unnest($1::uuid[], $2::text[]) as t(id, name)`,
    [doctors.map((d) => d.workspaceId), doctors.map((d) => d.name), planId],
  );
  await pool.query(
    `insert into workspace_members (workspace_id, user_id, role)
     select w, u, 'owner' from unnest($1::uuid[], $2::uuid[]) as t(w, u)`,
    [doctors.map((d) => d.workspaceId), doctors.map((d) => d.userId)],
  );

  const main = doctors[0]!;
  const started = Date.now();
  const patientIds = new Map<string, string[]>(doctors.map((d) => [d.workspaceId, []]));
  let sample: PatientBatch['sample'] = [];
  const BATCH = 5_000;
  for (let done = 0; done < opts.mainPatients; done += BATCH) {
    const batch = patients(main, Math.min(BATCH, opts.mainPatients - done));
    sample = sample.concat(batch.sample).slice(0, 500);
    patientIds.get(main.workspaceId)!.push(...(batch.cols[0] as string[]));
    await pool.query(INSERT_PATIENTS, batch.cols);
  }
  const others = doctors.slice(1);
  const perBatch = Math.max(1, Math.floor(BATCH / PATIENTS_PER_OTHER));
  for (let i = 0; i < others.length; i += perBatch) {
    const merged: unknown[][] = COLUMNS.map(() => []);
    for (const owner of others.slice(i, i + perBatch)) {
      const { cols } = patients(owner, PATIENTS_PER_OTHER);
      patientIds.get(owner.workspaceId)!.push(...(cols[0] as string[]));
      cols.forEach((c, k) => merged[k]!.push(...c));
    }
    await pool.query(INSERT_PATIENTS, merged);
  }
  // VACUUM as well as ANALYZE: autovacuum would otherwise visit 200,000 fresh rows in the middle
  // of a measurement; a settled table (visibility map set) is what a clinic's database looks like.
  await pool.query('vacuum (analyze) patients');
  opts.log(
    `seeded ${opts.mainPatients + opts.otherWorkspaces * PATIENTS_PER_OTHER} patients in ${opts.otherWorkspaces + 1} workspaces (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  const strip = ({ userId, workspaceId }: Doctor): Doctor => ({ userId, workspaceId });
  return { doctor: strip(main), others: others.map(strip), patientIds, sample };
}

/**
 * A few distinct analyses (sex, age, locale and lab values varied from the seed), each with the
 * engine's report for it, parsed by the same schemas the worker stores them through.
 */
function analysisVariants(n: number): { input: string; report: string; engine: string }[] {
  const locales = ['ru', 'uz', 'en'] as const;
  return Array.from({ length: n }, () => {
    const input = analysisInput.parse({
      ...REALISTIC_INPUT,
      locale: pick(locales),
      patient: {
        ...REALISTIC_INPUT.patient,
        sex: rand() < 0.5 ? 'male' : 'female',
        ageYears: 25 + int(60),
      },
      labs: REALISTIC_INPUT.labs.map((l) => ({
        ...l,
        value: Math.round(l.value * (0.8 + rand() * 0.4) * 100) / 100,
      })),
    });
    const report = analysisReport.parse(analyze(input));
    return {
      input: JSON.stringify(input),
      report: JSON.stringify(report),
      engine: `${report.engine.kind} ${report.engine.version} / kb ${report.engine.knowledgeBase}`,
    };
  });
}

/**
 * `count` completed analyses with full reports: half in the measured doctor's workspace, the
 * rest spread evenly over the others, each for one of the workspace's patients, written by its
 * owner. Returns a few ids of the measured doctor's analyses, to open them.
 */
export async function seedAnalyses(
  pool: Pool,
  seeded: Seeded,
  opts: { count: number; log: (msg: string) => void },
): Promise<{ mainAnalysisIds: string[]; reportBytes: number }> {
  const started = Date.now();
  const variants = analysisVariants(8);
  const mainCount = Math.ceil(opts.count / 2);
  const owners = [seeded.doctor, ...seeded.others];
  const plan: { owner: Doctor; n: number }[] = [{ owner: seeded.doctor, n: mainCount }];
  const rest = opts.count - mainCount;
  seeded.others.forEach((owner, i) => {
    const n = Math.floor(rest / seeded.others.length) + (i < rest % seeded.others.length ? 1 : 0);
    if (n) plan.push({ owner, n });
  });
  if (!seeded.others.length && rest) plan[0]!.n += rest;
  // The reports are passed once per batch; each row names its variant by number.
  const INSERT = `insert into analyses (id, workspace_id, patient_id, created_by, status, input, report, engine,
      idempotency_key, usage_period, created_at, started_at, completed_at, updated_at)
    select t.id, t.ws, t.patient, t.author, 'completed', v.input, v.report, v.engine, t.key,
      date_trunc('month', t.created)::date, t.created, t.created, t.created + interval '1 second',
      t.created + interval '1 second'
    from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::int[], $6::text[], $7::timestamptz[])
      as t(id, ws, patient, author, variant, key, created)
    join unnest($8::jsonb[], $9::jsonb[], $10::text[]) with ordinality as v(input, report, engine, n)
      on v.n = t.variant`;
  const BATCH = 2_000;
  const mainAnalysisIds: string[] = [];
  let cols: unknown[][] = [[], [], [], [], [], [], []];
  const flush = async () => {
    if (!cols[0]!.length) return;
    await pool.query(INSERT, [
      ...cols,
      variants.map((v) => v.input),
      variants.map((v) => v.report),
      variants.map((v) => v.engine),
    ]);
    cols = [[], [], [], [], [], [], []];
  };
  for (const { owner, n } of plan) {
    const ids = seeded.patientIds.get(owner.workspaceId)!;
    for (let i = 0; i < n; i++) {
      const id = uuid();
      if (owner === seeded.doctor && mainAnalysisIds.length < 100) mainAnalysisIds.push(id);
      const row = [
        id,
        owner.workspaceId,
        pick(ids),
        owner.userId,
        1 + int(variants.length),
        `bench_${id.replaceAll('-', '')}`,
        new Date(EPOCH - int(365 * DAY)).toISOString(),
      ];
      row.forEach((v, k) => cols[k]!.push(v));
      if (cols[0]!.length >= BATCH) await flush();
    }
  }
  await flush();
  await pool.query('vacuum (analyze) analyses');
  opts.log(
    `seeded ${opts.count} analyses in ${owners.length} workspaces (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  const reportBytes = Math.round(
    variants.reduce((s, v) => s + Buffer.byteLength(v.report), 0) / variants.length,
  );
  return { mainAnalysisIds, reportBytes };
}

/** Searches a doctor would type, built from rows that exist: all of them must find patients. */
export function searches(sample: PatientBatch['sample']) {
  const latin = sample.find((s) => /^[A-Z]/.test(s.person.last) && s.person.last.length >= 6)!;
  const cyr = sample.find(
    (s) => /^[А-Я]/.test(s.person.last) && !/^(Ким|Цой|Пак)$/.test(s.person.last),
  )!;
  const withPhone = sample.find((s) => s.phone)!;
  const digits = withPhone.phone!.slice(6); // the subscriber part, as people read it out
  return {
    /** A Latin prefix: the first letters of a surname. */
    latinPrefix: latin.person.last.slice(0, 4).toLowerCase(),
    /** A Cyrillic full name, surname first. */
    cyrillicFullName: `${cyr.person.last} ${cyr.person.first}`,
    /** A misspelling: trigram similarity has to forgive it. */
    misspelling: 'Aleksei',
    /** Phone digits typed with spaces. */
    phoneDigits: `${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}`,
  };
}
