// @vitest-environment jsdom
import { beforeAll, describe, expect, it } from 'vitest';
import { analysisStatuses, labFlags } from '@medora/schema';
import { buildInput, readNumber, validateDraft } from '../src/features/analyses/build-input';
import {
  analyteCatalogue,
  findAnalyte,
  matchesSearch,
  matchUnit,
  parsePastedLabs,
  unitsOf,
} from '../src/features/analyses/catalogue';
import {
  clearAnalysisDraft,
  emptyDraft,
  emptyLabRow,
  readAnalysisDraft,
  watchDraftRules,
  writeAnalysisDraft,
} from '../src/features/analyses/drafts';
import { setOwnDevice } from '../src/lib/device-trust';
import { formatTashkentDate } from '../src/features/analyses/format';
import { en } from '../src/features/analyses/i18n/en';
import { ru } from '../src/features/analyses/i18n/ru';
import { uz } from '../src/features/analyses/i18n/uz';
import { barGeometry } from '../src/features/analyses/reference-bar';
import { flagView, isFinished, statusView } from '../src/features/analyses/status';
import { chartGeometry, trendSeries } from '../src/features/analyses/trend';
import { analysesTranslations } from '../src/features/analyses/translations';
import { i18next, initI18n, loadTranslations, setLocale } from '../src/i18n';
import type { Messages } from '../src/i18n/types';

beforeAll(async () => {
  initI18n('en');
  await setLocale('en');
  await loadTranslations('analyses', analysesTranslations);
});

const PATIENT = '4b3f0f5e-8a55-4c1d-9f7e-2b8c1f0a9d11';

describe('the paste parser', () => {
  it('reads the printout lines of the brief in each language', () => {
    const { rows, unmatched } = parsePastedLabs(
      [
        'Hemoglobin 95 g/L',
        'Гемоглобин 9.5 g/dL',
        'ferritin 6 ng/mL',
        'HbA1c 7.2 %',
        'potassium 7.1 mmol/L',
      ].join('\n'),
    );
    expect(unmatched).toEqual([]);
    expect(rows).toEqual([
      { code: 'hemoglobin', value: '95', unit: 'g/L' },
      { code: 'hemoglobin', value: '9.5', unit: 'g/dL' },
      { code: 'ferritin', value: '6', unit: 'ng/mL' },
      { code: 'hba1c', value: '7.2', unit: '%' },
      { code: 'potassium', value: '7.1', unit: 'mmol/L' },
    ]);
  });

  it('takes a decimal comma, any case, Uzbek and Russian names, and the SI unit when none is given', () => {
    const { rows, unmatched } = parsePastedLabs(
      'GEMOGLOBIN 9,5 G/DL\nKaliy 5,1\nКреатинин: 120 мкмоль/л\nОбщий холестерин 6,2 mmol/l\nFasting glucose 7 mmol/L',
    );
    expect(unmatched).toEqual([]);
    expect(rows).toEqual([
      { code: 'hemoglobin', value: '9.5', unit: 'g/dL' },
      { code: 'potassium', value: '5.1', unit: 'mmol/L' },
      { code: 'creatinine', value: '120', unit: 'umol/L' },
      { code: 'total_cholesterol', value: '6.2', unit: 'mmol/L' },
      { code: 'glucose_fasting', value: '7', unit: 'mmol/L' },
    ]);
  });

  it('finds names that hold digits, bracketed short names and codes', () => {
    const { rows } = parsePastedLabs(
      'B12 vitamini 150 pmol/L\nTSH 4.2 mIU/L\nvitamin_b12 300 pg/mL\nАЛТ 80 U/L\nHaemoglobin 130 g/l',
    );
    expect(rows.map((r) => [r.code, r.value, r.unit])).toEqual([
      ['vitamin_b12', '150', 'pmol/L'],
      ['tsh', '4.2', 'mIU/L'],
      ['vitamin_b12', '300', 'pg/mL'],
      ['alt', '80', 'U/L'],
      ['hemoglobin', '130', 'g/L'],
    ]);
  });

  it('lists every line it cannot read, with the reason, and skips blank lines', () => {
    const { rows, unmatched } = parsePastedLabs(
      'Unobtainium 5 mg/L\n\n   \nHemoglobin\nPotassium 4.1 furlongs\nsodium 140 mmol/L',
    );
    expect(rows).toEqual([{ code: 'sodium', value: '140', unit: 'mmol/L' }]);
    expect(unmatched).toEqual([
      { line: 'Unobtainium 5 mg/L', reason: 'analyte' },
      { line: 'Hemoglobin', reason: 'value' },
      { line: 'Potassium 4.1 furlongs', reason: 'unit' },
    ]);
  });

  it('matches analyte names exactly (after folding), not by a prefix', () => {
    expect(findAnalyte('Ferritin')?.code).toBe('ferritin');
    expect(findAnalyte('ферритин')?.code).toBe('ferritin');
    expect(findAnalyte('Ferr')).toBeUndefined();
  });
});

describe('units per analyte', () => {
  it('lists the SI unit first and only the analyte’s own units', () => {
    for (const a of analyteCatalogue) {
      expect(unitsOf(a.code)[0], a.code).toBe(a.siUnit);
    }
    expect(unitsOf('hemoglobin')).toEqual(['g/L', 'g/dL']);
    expect(unitsOf('glucose_fasting')).toContain('mg/dL');
    expect(unitsOf('unknown')).toEqual([]);
    expect(matchUnit('hemoglobin', 'G/DL')).toBe('g/dL');
    expect(matchUnit('hemoglobin', 'mmol/L')).toBeNull();
    expect(matchUnit('creatinine', 'µmol/L')).toBe('umol/L');
  });

  it('searches the picker by the name in the interface language, any name, or the code', () => {
    const hb = analyteCatalogue.find((a) => a.code === 'hemoglobin')!;
    expect(matchesSearch(hb, 'gemo', 'uz')).toBe(true);
    expect(matchesSearch(hb, 'гемо', 'uz')).toBe(true);
    expect(matchesSearch(hb, 'hemo', 'en')).toBe(true);
    expect(matchesSearch(hb, 'kreat', 'uz')).toBe(false);
    const b12 = analyteCatalogue.find((a) => a.code === 'vitamin_b12')!;
    expect(matchesSearch(b12, 'vitamin_b', 'ru')).toBe(true);
  });
});

describe('the reference bar', () => {
  it('puts the interval in the middle third and the value on it', () => {
    expect(barGeometry(135, 120, 160)).toEqual({
      bandStart: 33.3,
      bandWidth: 33.3,
      marker: 45.8,
      clipped: null,
    });
    // The lower end never goes below zero: the band then starts nearer the left.
    expect(barGeometry(3, 2, 10)).toMatchObject({ bandStart: 11.1, bandWidth: 44.4 });
  });

  it('clamps values far outside and says so', () => {
    expect(barGeometry(1000, 120, 160)).toMatchObject({ marker: 100, clipped: 'high' });
    expect(barGeometry(6, 3.5, 5.1)).toMatchObject({ marker: 85.4, clipped: null });
    expect(barGeometry(10, 3.5, 5.1)).toMatchObject({ marker: 100, clipped: 'high' });
  });

  it('draws a one-sided interval from zero, and nothing without bounds', () => {
    expect(barGeometry(3, null, 5)).toEqual({
      bandStart: 0,
      bandWidth: 50,
      marker: 30,
      clipped: null,
    });
    expect(barGeometry(30, 20, null)).toMatchObject({ bandStart: 50, bandWidth: 50, marker: 75 });
    expect(barGeometry(3, null, null)).toBeNull();
    expect(barGeometry(Number.NaN, 1, 2)).toBeNull();
  });
});

describe('status and flags on screen', () => {
  it('follows queued and running live, shows the report when completed, the reason when failed', () => {
    expect(statusView('queued')).toMatchObject({ live: true, showReport: false });
    expect(statusView('running')).toMatchObject({ live: true, showReport: false });
    expect(statusView('completed')).toMatchObject({ live: false, showReport: true });
    expect(statusView('failed')).toMatchObject({ live: false, showReport: false, tone: 'error' });
    expect(analysisStatuses.filter(isFinished)).toEqual(['completed', 'failed']);
    for (const s of analysisStatuses) expect(i18next.exists(statusView(s).labelKey)).toBe(true);
  });

  it('gives every flag words and a symbol, never colour alone', () => {
    const symbols = new Set<string>();
    for (const f of [...labFlags, null]) {
      const view = flagView(f);
      expect(i18next.exists(view.labelKey), String(f)).toBe(true);
      expect(view.symbol).not.toBe('');
      symbols.add(view.symbol);
    }
    expect(symbols.size).toBe(labFlags.length + 1);
  });
});

describe('the draft as API input', () => {
  it('reads numbers with a comma or a dot and leaves blank fields out', () => {
    expect(readNumber('36,6')).toBe(36.6);
    expect(readNumber(' 120 ')).toBe(120);
    expect(readNumber('')).toBeUndefined();
    expect(readNumber('12a')).toBeNaN();
    const draft = emptyDraft();
    draft.complaints = 'Weakness';
    draft.vitals.temperatureC = '37,2';
    draft.medications = 'Metformin 500 mg\n\n  Lisinopril 10 mg ';
    draft.labs = [
      { ...emptyLabRow(), code: 'hemoglobin', unit: 'g/L', value: '95' },
      emptyLabRow(),
    ];
    const input = buildInput(PATIENT, draft);
    expect(input).toMatchObject({
      complaints: 'Weakness',
      vitals: { temperatureC: 37.2 },
      medications: ['Metformin 500 mg', 'Lisinopril 10 mg'],
      labs: [
        { code: 'hemoglobin', unit: 'g/L', value: 95, referenceLow: null, referenceHigh: null },
      ],
    });
    expect(validateDraft(PATIENT, draft).ok).toBe(true);
  });

  it('reports field errors by path with translated codes', () => {
    const draft = emptyDraft();
    const empty = validateDraft(PATIENT, draft);
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.errors.complaints).toEqual(['analysis.empty']);
    draft.vitals.systolicBp = '90';
    draft.vitals.diastolicBp = '120';
    draft.vitals.temperatureC = '99';
    draft.labs = [{ ...emptyLabRow(), value: '5' }];
    const result = validateDraft(PATIENT, draft);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors['vitals.diastolicBp']).toEqual(['vitals.diastolic_not_below_systolic']);
    expect(result.errors['vitals.temperatureC']).toEqual(['invalid']);
    expect(result.errors['labs.0.code']).toContain('required');
    for (const codes of Object.values(result.errors))
      for (const code of codes) expect(i18next.exists(`errors.field.${code}`), code).toBe(true);
  });

  it('keeps one idempotency key per draft', () => {
    const a = emptyDraft();
    const b = emptyDraft();
    expect(a.idempotencyKey).not.toBe(b.idempotencyKey);
    expect(buildInput(PATIENT, a).idempotencyKey).toMatch(/^[A-Za-z0-9_-]{16,100}$/);
  });
});

describe('drafts of an analysis (health data)', () => {
  const stored = () =>
    Object.keys(localStorage).filter((k) => k.startsWith('medora.draft.analysis.'));

  it('stay in memory only on a device that is not the doctor’s own', () => {
    setOwnDevice(false);
    const draft = { ...emptyDraft(), complaints: 'Chest pain' };
    writeAnalysisDraft(PATIENT, draft);
    expect(stored()).toEqual([]);
    expect(readAnalysisDraft(PATIENT)?.complaints).toBe('Chest pain');
    expect(readAnalysisDraft(PATIENT)?.idempotencyKey).toBe(draft.idempotencyKey);
    clearAnalysisDraft(PATIENT);
    expect(readAnalysisDraft(PATIENT)).toBeNull();
  });

  it('are kept on the doctor’s own device for 24 hours, and leave it when trust is withdrawn', () => {
    watchDraftRules();
    setOwnDevice(true);
    writeAnalysisDraft(PATIENT, { ...emptyDraft(), complaints: 'Fever' });
    expect(stored()).toHaveLength(1);
    expect(readAnalysisDraft(PATIENT)?.complaints).toBe('Fever');
    expect(readAnalysisDraft(PATIENT, Date.now() + 25 * 60 * 60 * 1000)).toBeNull();
    setOwnDevice(false);
    expect(stored()).toEqual([]);
    expect(readAnalysisDraft(PATIENT)).toBeNull();
  });

  it('are not kept while empty', () => {
    setOwnDevice(true);
    writeAnalysisDraft(PATIENT, emptyDraft());
    expect(stored()).toEqual([]);
    setOwnDevice(false);
  });
});

describe('the usage reset day', () => {
  it('is the first day of the Tashkent month, whatever the browser’s zone', () => {
    // Midnight in Tashkent (UTC+5) is still 31 December in UTC.
    const resetsAt = new Date('2026-12-31T19:00:00Z');
    expect(formatTashkentDate(resetsAt, 'en')).toBe('January 1, 2027');
    expect(formatTashkentDate(resetsAt, 'uz')).toMatch(/2027.*1-yanvar/);
  });
});

describe('the trend', () => {
  const report = (code: string, siValue: number) => ({
    labs: [
      {
        code,
        name: code,
        value: siValue,
        unit: 'g/L',
        siValue,
        siUnit: 'g/L',
        referenceLow: 120,
        referenceHigh: 160,
        referenceSource: 'ABIM',
        flag: 'N' as const,
      },
    ],
  });
  const analysis = (day: number, value: number, status = 'completed') =>
    ({
      id: `a${day}`,
      status,
      createdAt: new Date(2026, 0, day),
      report: report('hemoglobin', value),
    }) as never;

  it('orders points by date, drops unfinished analyses, and maps the band', () => {
    const [series] = trendSeries([analysis(3, 110), analysis(1, 95), analysis(2, 0, 'running')]);
    expect(series!.points.map((p) => p.value)).toEqual([95, 110]);
    const g = chartGeometry(series!, 100, 100);
    expect(g.points[0]!.x).toBe(0);
    expect(g.points[1]!.x).toBe(100);
    expect(g.points[0]!.y).toBeGreaterThan(g.points[1]!.y);
    expect(g.band!.height).toBeGreaterThan(0);
  });
});

function flatten(tree: Messages, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : flatten(v, `${prefix}${k}.`),
  );
}
const base = (k: string) => k.replace(/_(zero|one|two|few|many|other)$/, '');

describe('translations', () => {
  it('has every key in uz, ru and en', () => {
    const keys = (m: Messages) => new Set(flatten(m).map(base));
    const reference = keys(en);
    for (const messages of [uz, ru]) expect(keys(messages)).toEqual(reference);
  });

  it('speaks each language', async () => {
    await setLocale('ru');
    expect(i18next.t('analyses.flag.HH')).toBe('Критически повышен');
    expect(i18next.t('analyses.labs.pasted', { count: 5 })).toBe('Добавлено 5 результатов.');
    await setLocale('uz');
    expect(i18next.t('analyses.newButton')).toBe('Yangi tahlil');
    await setLocale('en');
    expect(i18next.t('analyses.report.enrichmentFailed')).toMatch(/rules report/);
  });
});

describe('the analyte picker', () => {
  it('is a labelled combobox whose input keeps the id the error summary links to', async () => {
    const { render, screen, cleanup } = await import('@testing-library/react');
    const { AnalytePicker } = await import('../src/features/analyses/analyte-picker');
    render(
      <AnalytePicker
        id="lab-x-code"
        label="Test"
        locale="en"
        code="potassium"
        onChange={() => {}}
        errors={['required']}
      />,
    );
    const input = screen.getByRole('combobox', { name: 'Test' });
    expect(input.id).toBe('lab-x-code-input');
    expect((input as HTMLInputElement).value).toBe('Potassium');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby') ?? '').not.toBe('');
    cleanup();
  });
});

describe('the live status connection', () => {
  it('sends the current bearer token with each stream request', async () => {
    const { authorizedFetch } = await import('../src/features/analyses/live');
    const seen: RequestInit[] = [];
    let token: string | null = 'first';
    const doFetch = authorizedFetch(
      () => token,
      (_url, init) => {
        seen.push(init ?? {});
        return Promise.resolve(new Response(''));
      },
    );
    const init = { headers: { Accept: 'text/event-stream' }, cache: 'no-store' as const };
    await doFetch('/trpc/analysis.onStatus', init);
    token = null;
    await doFetch('/trpc/analysis.onStatus', init);
    expect(seen[0]!.headers).toEqual({
      Accept: 'text/event-stream',
      Authorization: 'Bearer first',
    });
    expect(seen[1]!.headers).toEqual({ Accept: 'text/event-stream' });
    expect(seen[0]!.credentials).toBe('same-origin');
  });
});
