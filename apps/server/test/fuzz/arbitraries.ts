/**
 * Hostile inputs for a procedure, derived from its zod (v4) input schema. The maintained
 * zod → fast-check bridge (zod-fast-check) supports zod 3 and fast-check 3 only, and generators
 * of valid data do not aim at the edges anyway, so this is a small walker of zod's own
 * definitions: for each node it knows the valid shape (to build near-valid inputs) and the
 * values that sit on or beyond its limits.
 */
import fc from 'fast-check';
import type { z } from 'zod';

/** zod 4's internal definition of a schema node; only the fields read here. */
interface Def {
  type: string;
  format?: string;
  checks?: { _zod: { def: CheckDef } }[];
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, string>;
  values?: unknown[];
  options?: z.ZodType[];
  pattern?: RegExp;
}
interface CheckDef {
  check: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  value?: number | bigint;
  pattern?: RegExp;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Strings that break naive handling: encodings, invisible and bidi characters, injections. */
export const EDGE_STRINGS = [
  '',
  ' ',
  '\t\n\r',
  '\u00a0',
  '\ud800',
  '\udfff',
  'a\udc00b',
  '\ud83d',
  '\u202eevil\u202c',
  '\u200b',
  'a\u200db',
  '\ufeff',
  '\u0000',
  'a\u0000b',
  '\u2028\u2029',
  'e' + '\u0301'.repeat(64),
  '👨‍👩‍👧‍👦',
  '🇺🇿',
  // Cyrillic А and і among Latin letters, the way a homoglyph attack spells a name.
  'Аlіsher',
  'Toshkent Тошкент',
  'Oʻzbekiston',
  "O'zbek",
  "'; DROP TABLE users;--",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00%ff',
  '${7*7}{{7*7}}',
  '\\',
  '"',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
] as const;

export const EDGE_NUMBERS = [
  0,
  -0,
  1,
  -1,
  0.5,
  NaN,
  Infinity,
  -Infinity,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MIN_SAFE_INTEGER - 2,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 63,
  1e21,
] as const;

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const anyCodePoint = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: loneSurrogate, minLength: 1, maxLength: 4 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

/** Objects whose keys are the ones that pollute prototypes when merged naively. */
const protoObject = fc
  .record({
    key: fc.constantFrom(...PROTO_KEYS),
    value: fc.constantFrom<unknown>(
      { polluted: true },
      { prototype: { polluted: true } },
      'x',
      null,
    ),
  })
  .map(
    ({ key, value }) => JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value)}}`) as object,
  );

function nested(depth: number, asArray: boolean): unknown {
  let v: unknown = 'deep';
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

/** A value of no particular schema: the wrong type for almost any field. */
export const anyHostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, undefined, true, false, [], {}, new Date(NaN), new Date(8.64e15)),
  fc.constantFrom(...EDGE_NUMBERS),
  fc.constantFrom(...EDGE_STRINGS),
  anyCodePoint,
  protoObject,
  fc.constantFrom(nested(64, true), nested(64, false), nested(2000, true)),
  fc.constantFrom(
    Array.from({ length: 5000 }, () => 'x'),
    Array.from({ length: 200 }, () => ({})),
  ),
  fc.bigInt(),
  fc.jsonValue({ maxDepth: 3 }),
);

function limits(def: Def): { min?: number; max?: number; int: boolean; pattern?: RegExp } {
  const out: { min?: number; max?: number; int: boolean; pattern?: RegExp } = { int: false };
  for (const c of def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'min_length') out.min = d.minimum;
    if (d.check === 'max_length') out.max = d.maximum;
    if (d.check === 'greater_than') out.min = Number(d.value);
    if (d.check === 'less_than') out.max = Number(d.value);
    if (d.check === 'number_format') out.int = true;
    if (d.check === 'string_format' && d.pattern) out.pattern = d.pattern;
  }
  return out;
}

/**
 * Valid values for fields whose rules are code (phone, name and password checks, refinements):
 * the walker cannot derive them from the definition, so near-valid inputs start from these.
 */
const EXAMPLES: Record<string, unknown[]> = {
  phone: ['+998901234567', '+998 93 123 45 67'],
  name: ['Ali Valiyev', 'Дилноза Каримова'],
  firstName: ['Alisher', 'Дилноза'],
  lastName: ['Shukurov', 'Каримова'],
  middleName: ['Valiyevich', null],
  password: ['correct-horse-battery-9'],
  newPassword: ['correct-horse-battery-9'],
  email: ['doctor@example.uz'],
  // A one-time code, and a plan code (a lab's code is `code_lab`, see the labs array below).
  code: ['123456', 'plan_basic'],
  reason: ['Receipt unreadable'],
  note: ['Paid by card'],
  uz: ['Oylik'],
  ru: ['Месячный'],
  en: ['Monthly'],
  birthDate: ['1980-05-17'],
  ageYears: [undefined],
  conditionCode: ['J18', 'I21.4'],
  code_lab: ['hgb'],
  jobId: ['1', '42'],
  idempotencyKey: ['0123456789abcdef-key'],
  challenge: ['not-a-real-challenge'],
};

const uuid = fc.uuid({ version: 4 });

/** `s` repeated to exactly `n` UTF-16 units. */
const at = (s: string, n: number) => (n <= 0 ? '' : s.repeat(Math.ceil(n / s.length)).slice(0, n));

/** A value `schema` most likely accepts (fields named in EXAMPLES take an example). */
export function validish(schema: z.ZodType, key?: string): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  if (key && key in EXAMPLES) return fc.constantFrom(...EXAMPLES[key]!);
  switch (def.type) {
    case 'optional':
      return fc.option(validish(def.innerType!, key), { nil: undefined });
    case 'nullable':
      return validish(def.innerType!, key);
    case 'default':
      return fc.option(validish(def.innerType!, key), { nil: undefined });
    case 'pipe':
      return validish(def.in!, key);
    case 'object':
      return fc.record(
        Object.fromEntries(
          Object.entries(def.shape!).map(([k, v]) => [
            k,
            validish(v, key === 'labs' ? `${k}_lab` : k),
          ]),
        ),
        { requiredKeys: [] },
      );
    case 'array': {
      const { max } = limits(def);
      return fc.array(validish(def.element!, key), { maxLength: Math.min(max ?? 3, 3) });
    }
    case 'string': {
      if (def.format === 'uuid') return uuid;
      if (def.format === 'date') return fc.constant('1990-01-31');
      const { min, max, pattern } = limits(def);
      const plain = fc.string({
        unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'),
        minLength: Math.max(min ?? 1, 1),
        maxLength: Math.min(max ?? 20, 20),
      });
      if (max === undefined || pattern) return plain;
      // At the limit in UTF-16 units, in ASCII, Cyrillic and emoji (two units each).
      return fc.oneof(
        plain,
        fc.constantFrom(at('a', max), at('ж', max), at('😀', max - (max % 2))),
      );
    }
    case 'number': {
      const { min, max, int } = limits(def);
      const lo = min ?? -1000;
      const hi = max ?? 1000;
      const inside = int
        ? fc.integer({ min: Math.ceil(lo), max: Math.min(Math.floor(hi), lo + 1000) })
        : fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
      return fc.oneof(inside, fc.constantFrom(lo, hi));
    }
    case 'boolean':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries!));
    case 'literal':
      return fc.constantFrom(...def.values!);
    case 'date':
      // JavaScript's range (±273,790 years) is wider than PostgreSQL's (4713 BC to 294276 AD).
      return fc.oneof(
        fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
        fc.constantFrom(new Date(8.64e15), new Date(-8.64e15), new Date(0), new Date(-1)),
      );
    case 'void':
    case 'undefined':
      return fc.constant(undefined);
    default:
      // any, unknown, custom: the schema says nothing, so anything may reach the code behind it.
      return anyHostile;
  }
}

/** Values on and beyond the limits of one schema node, and values of the wrong type. */
export function hostile(schema: z.ZodType, key?: string): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
      return hostile(def.innerType!, key);
    case 'pipe':
      return hostile(def.in!, key);
    case 'object':
      return fc.oneof(anyHostile, nearValid(schema, key), allFieldsHostile(schema));
    case 'array': {
      const { max = 100 } = limits(def);
      return fc.oneof(
        anyHostile,
        fc.array(hostile(def.element!, key), { minLength: 1, maxLength: 3 }),
        fc.constant(Array.from({ length: max + 1 }, () => 'x')),
        validish(def.element!, key).map((v) => Array.from({ length: max + 1 }, () => v)),
        fc.constant([[[]]]),
      );
    }
    case 'string': {
      const { min = 0, max = 1000 } = limits(def);
      const edgeInValid = validish(schema, key).chain((v) =>
        fc
          .constantFrom(...EDGE_STRINGS)
          .map((e) => (typeof v === 'string' ? `${v.slice(0, 3)}${e}${v.slice(3)}` : e)),
      );
      return fc.oneof(
        { arbitrary: anyHostile, weight: 2 },
        { arbitrary: edgeInValid, weight: 2 },
        // At, just beyond and far beyond the length limits, in UTF-16 units and in code points:
        // an emoji is one code point and two units; e + combining accent becomes é under NFC.
        fc.constantFrom(
          at('a', max),
          at('a', max + 1),
          at('😀', max * 2),
          at('😀', max * 2 + 2),
          at('e\u0301', max * 2),
          at(' ', max + 1),
          at('a', Math.max(min - 1, 0)),
          at('\u0000', Math.min(max + 1, 5000)),
          at('я', 100_000),
        ),
        def.format === 'uuid'
          ? uuid.chain((u) =>
              fc.constantFrom(
                u.toUpperCase(),
                u.replace(/-/g, ''),
                `${u}\u0000`,
                ` ${u}`,
                u.slice(0, 35),
                `${u}0`,
                '00000000-0000-0000-0000-000000000000',
                u.replace(/[0-9a-f]/, 'g'),
              ),
            )
          : anyCodePoint,
      );
    }
    case 'number': {
      const { min = -1e6, max = 1e6 } = limits(def);
      return fc.oneof(
        fc.constantFrom(...EDGE_NUMBERS),
        fc.constantFrom(min - 1, max + 1, min - 1e-9, max + 1e-9, min + 0.5, max * 1e6, -max),
        fc.constantFrom<unknown>(String(min), `${max}`, '1', '', null, true, [1], { valueOf: 1 }),
        fc.double(),
        anyHostile,
      );
    }
    case 'boolean':
      return fc.oneof(
        fc.constantFrom<unknown>('true', 'false', 1, 0, '', null, [true]),
        anyHostile,
      );
    case 'enum': {
      const values = Object.values(def.entries!);
      return fc.oneof(
        fc.constantFrom(...values).chain((v) =>
          fc.constantFrom<unknown>(v.toUpperCase(), ` ${v}`, `${v}\u0000`, `${v}\u200b`, [v], {
            [v]: v,
          }),
        ),
        anyHostile,
      );
    }
    case 'literal':
    case 'date':
    case 'void':
    case 'undefined':
    default:
      return anyHostile;
  }
}

function requiredKeys(def: Def): string[] {
  return Object.entries(def.shape!)
    .filter(([, v]) => !['optional', 'default'].includes(defOf(v).type))
    .map(([k]) => k);
}

/** A (most likely) valid object with exactly one thing wrong: a field, a missing key, a type. */
export function nearValid(schema: z.ZodType, key?: string): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const keys = Object.keys(def.shape!);
  const required = requiredKeys(def);
  const base = validish(schema, key) as fc.Arbitrary<Record<string, unknown>>;
  const options: fc.Arbitrary<unknown>[] = [];
  if (keys.length > 0)
    options.push(
      fc
        .constantFrom(...keys)
        .chain((k) =>
          fc.tuple(base, hostile(def.shape![k]!, k)).map(([b, bad]) => ({ ...b, [k]: bad })),
        ),
    );
  if (required.length > 0)
    options.push(
      fc.tuple(base, fc.constantFrom(...required)).map(([b, k]) => {
        const { [k]: _dropped, ...rest } = b;
        return rest;
      }),
    );
  // Prototype keys beside the valid fields (zod strips unknown keys, so this one may be valid).
  options.push(
    fc
      .tuple(base, protoObject)
      .map(([b, p]) => Object.assign(JSON.parse(JSON.stringify(p)) as object, b)),
  );
  options.push(base.map((b) => Object.values(b)));
  return fc.oneof(...options);
}

function allFieldsHostile(schema: z.ZodType): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  return fc.record(
    Object.fromEntries(Object.entries(def.shape!).map(([k, v]) => [k, hostile(v, k)])),
    { requiredKeys: [] },
  );
}

/** The inputs to throw at a procedure with this input schema. */
export function fuzzInput(schema: z.ZodType): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const root = def.type === 'default' ? defOf(def.innerType!) : def;
  if (root.type !== 'object') return hostile(schema);
  const object = def.type === 'default' ? def.innerType! : schema;
  return fc.oneof(
    { arbitrary: nearValid(object), weight: 5 },
    { arbitrary: allFieldsHostile(object), weight: 2 },
    { arbitrary: anyHostile, weight: 1 },
  );
}

/**
 * Valid inputs for the "never a 5xx" check of accepted input: at the schema's edges where the
 * walker knows them, or hostile ones the schema still accepts. Refinements across fields make a
 * single draw often invalid: the first of a few draws that `accepts` passes (or the last one,
 * which the caller then leaves out).
 */
export function boundaryInput(
  schema: z.ZodType,
  accepts: (v: unknown) => boolean,
): fc.Arbitrary<unknown> {
  // Hostile draws the schema still accepts (a lone surrogate or a bidi override in free text, a
  // prototype key it strips) are the ones most likely to break the code behind it.
  const draw = fc.oneof(validish(schema), fuzzInput(schema));
  return fc
    .array(draw, { minLength: 8, maxLength: 8 })
    .map((draws) => draws.find(accepts) ?? draws.at(-1));
}
