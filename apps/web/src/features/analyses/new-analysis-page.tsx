import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { TRPCClientError } from '@trpc/client';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { AnalysisStatsOutput, FieldErrors, Locale } from '@medora/schema';
import { ErrorSummary } from '../../components/error-summary';
import { TextAreaField, TextField } from '../../components/field';
import { FormStatus, SubmitButton } from '../../components/form';
import { usePageTitle } from '../../components/page-title';
import { currentLocale } from '../../i18n';
import { trpc } from '../../lib/api';
import { useOwnDevice } from '../../lib/device-trust';
import { errorMessage, parseError } from '../../lib/errors';
import { fileClient } from '../../features/patients/file-client';
import { fullName } from '../../features/patients/format';
import { FileRequestError } from '../../features/patients/upload';
import { AnalytePicker } from './analyte-picker';
import { formatTashkentDate } from './format';
import { usedRows, validateDraft } from './build-input';
import { parsePastedLabs, unitsOf, type PasteResult } from './catalogue';
import {
  clearAnalysisDraft,
  emptyDraft,
  emptyLabRow,
  readAnalysisDraft,
  vitalFields,
  watchDraftRules,
  writeAnalysisDraft,
  type AnalysisDraft,
  type LabRowDraft,
} from './drafts';
import { analysisQuery, analysisStatsQuery } from './queries';
import './analyses.css';

interface UsageLimit {
  used: number;
  limit: number | null;
  resetsAt: string;
}

function usageOf(error: unknown): UsageLimit | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data = error.data as { usage?: UsageLimit } | undefined;
  return data?.usage ?? null;
}

export function NewAnalysisPage() {
  const { t } = useTranslation();
  const { patientId } = useParams({ from: '/_protected/patients/$patientId/analyses/new' });
  const patient = useQuery(trpc.patient.get.queryOptions({ id: patientId }));
  const name = patient.data ? fullName(patient.data) : '';
  usePageTitle(t('analyses.newTitle'));
  return (
    <div className="stack">
      <p className="patients__back no-print">
        <Link to="/patients/$patientId" params={{ patientId }}>
          {t('analyses.backToPatient')}
        </Link>
      </p>
      <section className="panel" aria-labelledby="new-analysis-title">
        <h1 id="new-analysis-title">
          {name ? t('analyses.newFor', { name }) : t('analyses.newTitle')}
        </h1>
        <UsageNote />
        <NewAnalysisForm patientId={patientId} />
      </section>
    </div>
  );
}

export function usageText(
  t: TFunction,
  usage: Pick<AnalysisStatsOutput['usage'], 'used' | 'limit'> & { resetsAt: Date | string },
  locale: Locale,
): string {
  const date = formatTashkentDate(usage.resetsAt, locale);
  return usage.limit === null
    ? t('analyses.usage.unlimited', { used: usage.used })
    : t('analyses.usage.limited', { used: usage.used, limit: usage.limit, date });
}

function UsageNote() {
  const { t } = useTranslation();
  const stats = useQuery(analysisStatsQuery());
  if (!stats.data) return null;
  const { usage } = stats.data;
  const full = usage.limit !== null && usage.used >= usage.limit;
  return (
    <p className={full ? 'notice notice--warning' : 'notice notice--info'}>
      {full
        ? t('analyses.usage.reached', {
            limit: usage.limit,
            date: formatTashkentDate(usage.resetsAt, currentLocale()),
          })
        : usageText(t, usage, currentLocale())}
    </p>
  );
}

const fieldId = (path: string) => `analysis-${path.replace(/\./g, '-')}`;

function NewAnalysisForm({ patientId }: { patientId: string }) {
  const { t } = useTranslation();
  const locale = currentLocale();
  const ownDevice = useOwnDevice();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<AnalysisDraft>(
    () => readAnalysisDraft(patientId) ?? emptyDraft(),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [limit, setLimit] = useState<UsageLimit | null>(null);
  const [inactive, setInactive] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [status, setStatus] = useState('');
  const summaryRef = useRef<HTMLDivElement>(null);
  const sent = useRef(false);
  const create = useMutation(
    trpc.analysis.create.mutationOptions({ trpc: { context: { idempotent: true } } }),
  );

  useEffect(() => watchDraftRules(), []);
  useEffect(() => {
    if (!sent.current) writeAnalysisDraft(patientId, draft);
  }, [patientId, draft]);
  useEffect(() => {
    if (attempt > 0) summaryRef.current?.focus();
  }, [attempt]);

  const update = (patch: Partial<AnalysisDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const updateRow = (key: string, patch: Partial<LabRowDraft>) =>
    setDraft((d) => ({ ...d, labs: d.labs.map((l) => (l.key === key ? { ...l, ...patch } : l)) }));

  // Field paths of the sent rows ("labs.0") point at the rows on screen.
  const rows = usedRows(draft);
  const rowPath = (row: LabRowDraft, field: string) => {
    const i = rows.indexOf(row);
    return i < 0 ? `labs.row-${row.key}.${field}` : `labs.${i}.${field}`;
  };
  const fields: Record<string, { id: string; label: string }> = {
    complaints: { id: fieldId('complaints'), label: t('analyses.fields.complaints') },
    history: { id: fieldId('history'), label: t('analyses.fields.history') },
    medications: { id: fieldId('medications'), label: t('analyses.fields.medications') },
    'patient.weightKg': { id: fieldId('weightKg'), label: t('analyses.fields.weightKg') },
    'patient.heightCm': { id: fieldId('heightCm'), label: t('analyses.fields.heightCm') },
  };
  for (const f of vitalFields)
    fields[`vitals.${f}`] = { id: fieldId(f), label: t(`analyses.fields.${f}`) };
  draft.labs.forEach((row, n) => {
    const prefix = `${t('analyses.fields.rowLabel', { n: n + 1 })}, `;
    const id = (f: string) => `lab-${row.key}-${f}`;
    fields[rowPath(row, 'code')] = {
      id: `${id('code')}-input`,
      label: prefix + t('analyses.fields.analyte'),
    };
    fields[rowPath(row, 'unit')] = { id: id('unit'), label: prefix + t('analyses.fields.unit') };
    fields[rowPath(row, 'value')] = { id: id('value'), label: prefix + t('analyses.fields.value') };
    fields[rowPath(row, 'referenceLow')] = {
      id: id('referenceLow'),
      label: prefix + t('analyses.fields.referenceLow'),
    };
    fields[rowPath(row, 'referenceHigh')] = {
      id: id('referenceHigh'),
      label: prefix + t('analyses.fields.referenceHigh'),
    };
  });
  const err = (path: string) => errors[path];

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setFormError(null);
    setLimit(null);
    setInactive(false);
    const result = validateDraft(patientId, draft);
    if (!result.ok) {
      setErrors(result.errors);
      setAttempt((n) => n + 1);
      return;
    }
    setErrors({});
    try {
      const analysis = await create.mutateAsync(result.input);
      sent.current = true;
      clearAnalysisDraft(patientId);
      queryClient.setQueryData(analysisQuery(analysis.id).queryKey, analysis);
      await queryClient.invalidateQueries({ queryKey: trpc.analysis.list.pathKey() });
      await queryClient.invalidateQueries({ queryKey: trpc.analysis.stats.pathKey() });
      await navigate({ to: '/analyses/$analysisId', params: { analysisId: analysis.id } });
    } catch (error) {
      const parsed = parseError(error);
      if (parsed.appCode === 'USAGE_LIMIT_REACHED') setLimit(usageOf(error));
      if (parsed.appCode === 'SUBSCRIPTION_INACTIVE') setInactive(true);
      const onFields = Object.keys(parsed.fieldErrors).filter((p) => p in fields);
      if (onFields.length > 0) {
        setErrors(parsed.fieldErrors);
      } else if (
        parsed.appCode !== 'USAGE_LIMIT_REACHED' &&
        parsed.appCode !== 'SUBSCRIPTION_INACTIVE'
      ) {
        setFormError(errorMessage(t, parsed));
      }
      setAttempt((n) => n + 1);
    }
  };

  const limitText = limit
    ? limit.limit === null
      ? t('errors.app.USAGE_LIMIT_REACHED')
      : t('analyses.usage.reached', {
          limit: limit.limit,
          date: formatTashkentDate(limit.resetsAt, locale),
        })
    : null;

  return (
    <form noValidate className="form analysis-form" onSubmit={(e) => void submit(e)}>
      <ErrorSummary
        summaryRef={summaryRef}
        fieldErrors={errors}
        formError={limitText ?? (inactive ? t('analyses.usage.inactive') : formError)}
        fields={fields}
      />
      <p className="muted">{ownDevice ? t('analyses.draftKept') : t('analyses.draftMemory')}</p>

      <fieldset className="analysis-form__section">
        <legend>{t('analyses.sections.complaints')}</legend>
        <TextAreaField
          {...fields.complaints!}
          value={draft.complaints}
          onChange={(e) => update({ complaints: e.target.value })}
          errors={err('complaints')}
          rows={4}
        />
        <TextAreaField
          {...fields.history!}
          value={draft.history}
          onChange={(e) => update({ history: e.target.value })}
          errors={err('history')}
        />
        <TextAreaField
          {...fields.medications!}
          hint={t('analyses.fields.medicationsHint')}
          value={draft.medications}
          onChange={(e) => update({ medications: e.target.value })}
          errors={err('medications')}
        />
      </fieldset>

      <fieldset className="analysis-form__section">
        <legend>{t('analyses.sections.vitals')}</legend>
        <div className="analysis-form__grid">
          {vitalFields.map((f) => (
            <TextField
              key={f}
              {...fields[`vitals.${f}`]!}
              inputMode="decimal"
              autoComplete="off"
              value={draft.vitals[f]}
              onChange={(e) => update({ vitals: { ...draft.vitals, [f]: e.target.value } })}
              errors={err(`vitals.${f}`)}
            />
          ))}
        </div>
      </fieldset>

      <fieldset className="analysis-form__section">
        <legend>{t('analyses.sections.measurements')}</legend>
        <div className="analysis-form__grid">
          <TextField
            {...fields['patient.weightKg']!}
            inputMode="decimal"
            value={draft.weightKg}
            onChange={(e) => update({ weightKg: e.target.value })}
            errors={err('patient.weightKg')}
          />
          <TextField
            {...fields['patient.heightCm']!}
            inputMode="decimal"
            value={draft.heightCm}
            onChange={(e) => update({ heightCm: e.target.value })}
            errors={err('patient.heightCm')}
          />
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={draft.pregnant}
            onChange={(e) => update({ pregnant: e.target.checked })}
          />{' '}
          {t('analyses.fields.pregnant')}
        </label>
      </fieldset>

      <fieldset className="analysis-form__section">
        <legend>{t('analyses.sections.labs')}</legend>
        <ol className="lab-rows">
          {draft.labs.map((row, n) => (
            <LabRow
              key={row.key}
              row={row}
              n={n + 1}
              locale={locale}
              errorsFor={(f) => err(rowPath(row, f))}
              onChange={(patch) => updateRow(row.key, patch)}
              onRemove={
                draft.labs.length > 1
                  ? () => update({ labs: draft.labs.filter((l) => l.key !== row.key) })
                  : null
              }
            />
          ))}
        </ol>
        <button
          type="button"
          className="button analysis-form__add"
          onClick={() => update({ labs: [...draft.labs, emptyLabRow()] })}
        >
          {t('analyses.labs.add')}
        </button>
        <PasteBox
          onRows={(pasted) => {
            const kept = draft.labs.filter((l) => l.code || l.value);
            update({
              labs: [
                ...kept,
                ...pasted.map((p) => ({ ...emptyLabRow(), ...p })),
                ...(kept.length + pasted.length === 0 ? [emptyLabRow()] : []),
              ],
            });
            setStatus(t('analyses.labs.pasted', { count: pasted.length }));
          }}
        />
      </fieldset>

      <AttachmentPicker
        patientId={patientId}
        selected={draft.attachmentIds}
        onChange={(attachmentIds) => update({ attachmentIds })}
      />

      <div className="analysis-form__actions">
        <SubmitButton
          mutation={create}
          label={t('analyses.send')}
          busyLabel={t('analyses.sending')}
        />
        <button
          type="button"
          className="button button--link"
          onClick={() => {
            clearAnalysisDraft(patientId);
            setDraft(emptyDraft());
            setErrors({});
          }}
        >
          {t('analyses.clearDraft')}
        </button>
      </div>
      <FormStatus mutation={create} message={status} />
    </form>
  );
}

function LabRow({
  row,
  n,
  locale,
  errorsFor,
  onChange,
  onRemove,
}: {
  row: LabRowDraft;
  n: number;
  locale: Locale;
  errorsFor: (field: string) => FieldErrors[string] | undefined;
  onChange: (patch: Partial<LabRowDraft>) => void;
  onRemove: (() => void) | null;
}) {
  const { t } = useTranslation();
  const id = (f: string) => `lab-${row.key}-${f}`;
  const units = unitsOf(row.code);
  const label = t('analyses.fields.rowLabel', { n });
  return (
    <li className="lab-row" aria-label={label}>
      <AnalytePicker
        id={id('code')}
        label={t('analyses.fields.analyte')}
        locale={locale}
        code={row.code}
        errors={errorsFor('code')}
        onChange={(code) => onChange({ code, unit: unitsOf(code)[0] ?? '' })}
      />
      <TextField
        id={id('value')}
        label={t('analyses.fields.value')}
        inputMode="decimal"
        autoComplete="off"
        value={row.value}
        errors={errorsFor('value')}
        onChange={(e) => onChange({ value: e.target.value })}
      />
      <div className={errorsFor('unit') ? 'field field--invalid' : 'field'}>
        <label htmlFor={id('unit')}>{t('analyses.fields.unit')}</label>
        <select
          id={id('unit')}
          className="input"
          value={row.unit}
          disabled={units.length === 0}
          onChange={(e) => onChange({ unit: e.target.value })}
        >
          {units.length === 0 && <option value="">—</option>}
          {units.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </div>
      <TextField
        id={id('referenceLow')}
        label={t('analyses.fields.referenceLow')}
        inputMode="decimal"
        autoComplete="off"
        value={row.referenceLow}
        errors={errorsFor('referenceLow')}
        onChange={(e) => onChange({ referenceLow: e.target.value })}
      />
      <TextField
        id={id('referenceHigh')}
        label={t('analyses.fields.referenceHigh')}
        inputMode="decimal"
        autoComplete="off"
        value={row.referenceHigh}
        errors={errorsFor('referenceHigh')}
        onChange={(e) => onChange({ referenceHigh: e.target.value })}
      />
      {onRemove && (
        <button type="button" className="button button--link lab-row__remove" onClick={onRemove}>
          {t('analyses.labs.remove', { n })}
        </button>
      )}
    </li>
  );
}

function PasteBox({ onRows }: { onRows: (rows: PasteResult['rows']) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [unmatched, setUnmatched] = useState<PasteResult['unmatched']>([]);
  return (
    <div className="paste-box">
      <TextAreaField
        id="analysis-paste"
        label={t('analyses.labs.pasteLabel')}
        hint={t('analyses.labs.pasteHint')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        spellCheck={false}
      />
      <button
        type="button"
        className="button"
        onClick={() => {
          const result = parsePastedLabs(text);
          setUnmatched(result.unmatched);
          // What was not understood stays in the box, to correct or type in by hand.
          setText(result.unmatched.map((u) => u.line).join('\n'));
          onRows(result.rows);
        }}
      >
        {t('analyses.labs.pasteButton')}
      </button>
      {unmatched.length > 0 && (
        <div className="notice notice--warning" role="status">
          <p>{t('analyses.labs.unmatchedTitle')}</p>
          <ul>
            {unmatched.map((u, i) => (
              <li key={i}>
                <code>{u.line}</code> — {t(`analyses.labs.reason.${u.reason}`)}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function AttachmentPicker({
  patientId,
  selected,
  onChange,
}: {
  patientId: string;
  selected: string[];
  onChange: (ids: string[]) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const files = useQuery(trpc.file.list.queryOptions({ patientId }));
  const [progress, setProgress] = useState<number | null>(null);
  const [message, setMessage] = useState('');
  const toggle = (id: string, on: boolean) =>
    onChange(on ? [...selected, id] : selected.filter((s) => s !== id));
  const items = files.data?.items ?? [];
  return (
    <fieldset className="analysis-form__section">
      <legend>{t('analyses.sections.attachments')}</legend>
      {items.length === 0 ? (
        <p className="muted">{t('analyses.attachments.none')}</p>
      ) : (
        <ul className="attachment-choices" aria-label={t('analyses.attachments.choose')}>
          {items.map((f) => (
            <li key={f.id}>
              <label className="checkbox">
                <input
                  type="checkbox"
                  checked={selected.includes(f.id)}
                  onChange={(e) => toggle(f.id, e.target.checked)}
                />{' '}
                {f.name}
              </label>
            </li>
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor="analysis-upload">{t('analyses.attachments.upload')}</label>
        <input
          id="analysis-upload"
          type="file"
          className="input"
          disabled={progress !== null}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (!file) return;
            setProgress(0);
            setMessage('');
            fileClient
              .upload({ file, patientId, onProgress: setProgress })
              .then(async (uploaded) => {
                onChange([...selected, uploaded.id]);
                setMessage(t('analyses.attachments.uploaded', { name: uploaded.name }));
                await queryClient.invalidateQueries({
                  queryKey: trpc.file.list.queryKey({ patientId }),
                });
              })
              .catch((error: unknown) => {
                setMessage(
                  errorMessage(
                    t,
                    error instanceof FileRequestError ? error.parsed : parseError(error),
                  ),
                );
              })
              .finally(() => setProgress(null));
          }}
        />
      </div>
      <p role="status" className="form__status">
        {progress !== null
          ? t('analyses.attachments.uploading', { percent: Math.round(progress * 100) })
          : message}
      </p>
    </fieldset>
  );
}
