import { doctorScope } from '../src/testing';
import fc from 'fast-check';
import { Kysely, PostgresDialect, type CompiledQuery } from 'kysely';
import pg from 'pg';
import type { Database } from '@medora/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listPatientsInput } from '@medora/schema';
import { listPatients } from '../src/patients/queries';
import { foldWords, patientSearchKey, searchTerms } from '../src/patients/search-key';
import type { DoctorScope } from '../src/scope';
import { coreServices, type CoreHarness } from './services';

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

const create = (
  firstName: string,
  lastName: string,
  extra: { phone?: string; middleName?: string } = {},
  s = scope,
) => h.services.patients.create(s, { firstName, lastName, sex: 'male', ageYears: 40, ...extra });

const search = async (text: string, s = scope) =>
  (
    await h.services.patients.list(s, listPatientsInput.parse({ search: text, limit: 100 }))
  ).items.map((p) => `${p.firstName} ${p.lastName}`);

describe('the search key', () => {
  it('folds Uzbek Latin, Uzbek Cyrillic and Russian spellings of a name to one', () => {
    const same = [
      ['Gʻulom', 'Ғулом', 'Гулом', "G'ulom", 'G‘ulom', 'Gulom'],
      ['Xasanov', 'Ҳасанов', 'Хасанов', 'Khasanov', 'Hasanov'],
      ['Oʻtkir', 'Ўткир', 'Уткир'.replace('У', 'Ў'), "O'tkir"],
      ['Qodirov', 'Қодиров', 'Кодиров'],
      ['Shukurov', 'Шукуров'],
      ['Alisher', 'Алишер', 'ALISHER', 'Ａｌｉｓｈｅｒ'],
      ['Yelena', 'Елена'],
      ['Aliyev', 'Алиев', 'Aliev', 'Алийев'],
      ['Mirzayeva', 'Мирзаева', 'Mirzaeva'],
      ['Zhanna', 'Жанна', 'Janna'],
      ['Choʻlpon', 'Чўлпон', 'Чулпон'.replace('у', 'ў')],
    ];
    for (const group of same) {
      const keys = new Set(group.map((n) => foldWords(n).join(' ')));
      expect([...keys], group.join(' / ')).toHaveLength(1);
    }
    expect(foldWords('Алишер')).not.toEqual(foldWords('Alimardon'));
  });

  it('keeps words apart and puts the phone digits last', () => {
    expect(
      patientSearchKey({
        firstName: 'Алишер',
        lastName: 'Шукуров',
        middleName: 'Ғани ўғли',
        phone: '+998901234567',
      }),
    ).toBe(' shukurov alisher gani ogli 998901234567 ');
    expect(searchTerms('90 123-45')).toEqual({ words: [], digits: '9012345' });
    expect(searchTerms('  Ali  Shu ')).toEqual({ words: ['ali', 'shu'], digits: null });
  });

  // Uzbek Cyrillic → official Uzbek Latin, written independently of the code under test.
  const official: Record<string, string> = {
    а: 'a',
    б: 'b',
    в: 'v',
    г: 'g',
    д: 'd',
    е: 'e',
    ё: 'yo',
    ж: 'j',
    з: 'z',
    и: 'i',
    й: 'y',
    к: 'k',
    л: 'l',
    м: 'm',
    н: 'n',
    о: 'o',
    п: 'p',
    р: 'r',
    с: 's',
    т: 't',
    у: 'u',
    ф: 'f',
    х: 'x',
    ч: 'ch',
    ш: 'sh',
    ъ: 'ʼ',
    э: 'e',
    ю: 'yu',
    я: 'ya',
    ў: 'oʻ',
    қ: 'q',
    ғ: 'gʻ',
    ҳ: 'h',
  };
  const cyrillicName = fc
    .array(fc.constantFrom(...Object.keys(official).filter((c) => c !== 'ъ')), {
      minLength: 2,
      maxLength: 12,
    })
    .map((letters) => letters.join(''));
  const toLatin = (name: string) => {
    // Uzbek writes е as "ye" at a word's start and after a vowel (Алиев, Aliyev).
    return [...name]
      .map((c, i) =>
        c === 'е' && (i === 0 || 'аеёиоуэюяў'.includes(name[i - 1]!)) ? 'ye' : (official[c] ?? c),
      )
      .join('');
  };

  it('property: a Cyrillic name and its official Latin spelling fold to the same words', () => {
    fc.assert(
      fc.property(cyrillicName, fc.boolean(), (name, capital) => {
        const written = capital ? name[0]!.toUpperCase() + name.slice(1) : name;
        expect(foldWords(toLatin(written))).toEqual(foldWords(written));
      }),
      { numRuns: 500 },
    );
  });

  it('property: a patient saved in either script is found by the other, in the database', async () => {
    const s = scopeOf(await h.make.doctor());
    await fc.assert(
      fc.asyncProperty(cyrillicName, cyrillicName, async (first, last) => {
        const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);
        const cyr = { firstName: cap(first), lastName: cap(last) };
        const patient = await h.services.patients.create(s, {
          ...cyr,
          sex: 'female',
          ageYears: 30,
        });
        const ids = async (text: string) =>
          (
            await h.services.patients.list(s, listPatientsInput.parse({ search: text, limit: 100 }))
          ).items.map((p) => p.id);
        expect(await ids(toLatin(cyr.lastName))).toContain(patient.id);
        expect(await ids(`${toLatin(cyr.firstName)} ${cyr.lastName}`)).toContain(patient.id);
        await h.services.patients.archive(s, patient.id);
      }),
      { numRuns: 25 },
    );
  });
});

describe('searching patients', () => {
  beforeAll(async () => {
    await create('Alisher', 'Shukurov', { phone: '+998901234567' });
    await create('Гулом', 'Каримов');
    await create('Xurshida', 'Hasanova', { middleName: 'Rustamovna' });
    await create('Aleksey', 'Petrov');
    await create('Dilnoza', 'Karimova');
    // Another workspace's namesake must never show.
    await create('Alisher', 'Shukurov', {}, otherScope);
  });

  it('finds names across scripts', async () => {
    expect(await search('Алишер')).toEqual(['Alisher Shukurov']);
    expect(await search('Шукуров')).toEqual(['Alisher Shukurov']);
    expect(await search('Gʻulom')).toEqual(['Гулом Каримов']);
    expect(await search('Ғулом Каримов')).toEqual(['Гулом Каримов']);
    expect(await search('Хуршида Ҳасанова')).toEqual(['Xurshida Hasanova']);
    expect(await search('Алексей')).toEqual(['Aleksey Petrov']);
  });

  it('finds by the start of any name, in any order, case-insensitively', async () => {
    expect(await search('shuk')).toEqual(['Alisher Shukurov']);
    expect(await search('SHUKUROV alisher')).toEqual(['Alisher Shukurov']);
    expect(await search('rustam')).toEqual(['Xurshida Hasanova']);
    expect((await search('karim')).sort()).toEqual(['Dilnoza Karimova', 'Гулом Каримов']);
    expect(await search('Temur')).toEqual([]);
  });

  it('forgives misspellings within the similarity threshold, and not beyond', async () => {
    expect(await search('Alishir')).toEqual(['Alisher Shukurov']);
    expect(await search('Shukurow')).toEqual(['Alisher Shukurov']);
    expect(await search('Aleksei')).toEqual(['Aleksey Petrov']);
    expect(await search('Bahodir')).toEqual([]);
  });

  it('finds phone digits as people type them', async () => {
    expect(await search('90 123 45')).toEqual(['Alisher Shukurov']);
    expect(await search('+998 90 123-45-67')).toEqual(['Alisher Shukurov']);
    expect(await search('4567')).toEqual(['Alisher Shukurov']);
    expect(await search('999999')).toEqual([]);
  });

  it('follows a rename: the new name finds the patient, the old one no longer does', async () => {
    const s = scopeOf(await h.make.doctor());
    const p = await create('Bobur', 'Yusupov', {}, s);
    await create('Jasur', 'Yusupov', {}, s);
    await h.services.patients.update(s, { id: p.id, firstName: 'Sanjar', lastName: 'Toshev' });
    expect(await search('Sanjar', s)).toEqual(['Sanjar Toshev']);
    expect(await search('Тошев', s)).toEqual(['Sanjar Toshev']);
    expect(await search('Bobur', s)).toEqual([]);
    expect(await search('Yusupov', s)).toEqual(['Jasur Yusupov']);
  });

  it("expands a search only into the caller's own names", async () => {
    // Another workspace has "Temur": in this workspace the word stands for nothing.
    await create('Temur', 'Aliyev', {}, otherScope);
    expect(await search('Temur')).toEqual([]);
    expect(await search('Temur', otherScope)).toEqual(['Temur Aliyev']);
  });

  it('treats like-wildcards in a search as letters, and punctuation alone as no match', async () => {
    expect(await search('%')).toEqual([]);
    expect(await search('_')).toEqual([]);
    expect(await search("'-")).toEqual([]);
  });
});

describe('pages of patients', () => {
  let s: DoctorScope;
  beforeAll(async () => {
    s = scopeOf(await h.make.doctor());
    const names = [
      'Zokir',
      'Anvar',
      'Bekzod',
      'Anvar',
      'Yulduz',
      'Madina',
      'Jasur',
      'Otabek',
      'Nilufar',
      'Kamola',
      'Sherzod',
      'Feruza',
    ];
    for (const [i, n] of names.entries())
      await h.services.patients.create(s, {
        firstName: n,
        lastName: i % 2 ? 'Aliyev' : 'Boboyev',
        sex: 'male',
        ageYears: 20 + i,
      });
  });

  const all = async (input: Record<string, unknown>) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let total = -1;
    for (let i = 0; i < 20; i++) {
      const page = await h.services.patients.list(
        s,
        listPatientsInput.parse({ ...input, limit: 5, cursor }),
      );
      total = page.total;
      seen.push(...page.items.map((p) => `${p.lastName} ${p.firstName}`));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return { seen, total };
  };

  it('walks the newest first without gaps or repeats, with the total on every page', async () => {
    const { seen, total } = await all({});
    expect(total).toBe(12);
    expect(seen).toHaveLength(12);
    expect(seen[0]).toBe('Aliyev Feruza');
    expect(seen.at(-1)).toBe('Boboyev Zokir');
  });

  it('walks by name, ties broken stably', async () => {
    const { seen } = await all({ sort: 'name' });
    const sorted = [...seen].sort((x, y) => x.localeCompare(y, 'en'));
    expect(seen).toEqual(sorted);
    expect(new Set(seen).size).toBe(11); // the two Anvar Boboyev/Aliyev differ; one name repeats
    expect(seen).toHaveLength(12);
  });

  it('answers a forged cursor with a field error', async () => {
    for (const cursor of [
      'garbage',
      Buffer.from('[1,2,3,4,5]').toString('base64url'),
      Buffer.from('["x","not-a-uuid"]').toString('base64url'),
    ])
      await expect(
        h.services.patients.list(s, listPatientsInput.parse({ cursor })),
      ).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fieldErrors: { cursor: ['cursor.invalid'] } },
      });
  });

  it('bounds the page size', () => {
    expect(listPatientsInput.safeParse({ limit: 101 }).success).toBe(false);
    expect(listPatientsInput.safeParse({ limit: 0 }).success).toBe(false);
    expect(listPatientsInput.parse({}).limit).toBe(20);
  });
});

describe('indexes', () => {
  it('list, name order, archived list and search each run on a workspace-scoped index', async () => {
    // Capture the exact SQL the queries send, then replay it in one transaction on one
    // connection: the planner switches a search sets go through as sent, every other query is
    // asked for its plan, with sequential scans priced out (a small table would otherwise be
    // scanned whatever the indexes).
    const captured: CompiledQuery[][] = [];
    let current: CompiledQuery[] = [];
    const pool = new pg.Pool({ connectionString: h.t.url, max: 1 });
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      log: (e) => {
        if (e.level === 'query') current.push(e.query);
      },
    });
    const inputs = [
      {},
      { sort: 'name' },
      { archived: true },
      { search: 'Shukurov' },
      { search: '90123' },
    ];
    try {
      for (const input of inputs) {
        current = [];
        await db
          .transaction()
          .execute((trx) => listPatients(trx, scope, listPatientsInput.parse(input)));
        captured.push(current);
      }
      const client = await pool.connect();
      const plans: string[][] = [];
      try {
        for (const queries of captured) {
          await client.query('begin');
          await client.query('set local enable_seqscan = off');
          const shown: string[] = [];
          for (const q of queries) {
            if (q.sql.startsWith('select set_config')) {
              await client.query(q.sql, q.parameters as unknown[]);
              continue;
            }
            if (!/^(select|with) /.test(q.sql)) continue; // the transaction's begin and commit
            const { rows } = await client.query<{ 'QUERY PLAN': string }>(
              `explain ${q.sql}`,
              q.parameters as unknown[],
            );
            shown.push(rows.map((r) => r['QUERY PLAN']).join('\n'));
          }
          await client.query('rollback');
          plans.push(shown);
        }
      } finally {
        client.release();
      }
      for (const [i, shown] of plans.entries()) {
        const search = 'search' in inputs[i]!;
        for (const plan of shown) {
          expect(plan).not.toMatch(/Seq Scan on patients/);
          if (plan.includes('patient_counts')) {
            expect(plan).toMatch(/patient_counts_pkey/);
            continue;
          }
          if (plan.includes('on patient_name_words')) {
            // A search word's expansion: the workspace's part of the dictionary only.
            expect(plan).toMatch(
              /(Index|Index Only) Scan .*on patient_name_words|Bitmap Index Scan on patient_name_words_/,
            );
            expect(plan).not.toMatch(/Seq Scan on patient_name_words/);
            continue;
          }
          expect(plan).toMatch(
            search
              ? // A search collects its matches with a bitmap scan (a GIN index at scale; a
                // handful of rows may come off the workspace's btree), never an ordered walk.
                /Bitmap Index Scan on patients_(search|search_words|workspace_name|workspace_recent)_idx/
              : /Index Scan using patients_workspace_(recent|name|archived)_idx/,
          );
          if (search) expect(plan).not.toMatch(/Index Scan using patients_workspace/);
        }
        // Lists: the page and the counter row; a name search: the word's expansion, then the
        // page with its capped count; a phone search: the page with its count.
        const name = search && /[a-z]/i.test((inputs[i] as { search: string }).search);
        expect(shown).toHaveLength(name ? 2 : search ? 1 : 2);
      }
    } finally {
      await db.destroy();
    }
  });
});
