import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PatientOutput } from '@medora/schema';
import { QueryError } from '../../components/query-error';
import { usePageTitle } from '../../components/page-title';
import { Button } from '../../components/ui/button';
import { ConfirmDialog } from '../../components/ui/dialog';
import { toasts } from '../../components/ui/toast';
import { currentLocale } from '../../i18n';
import { trpc } from '../../lib/api';
import { errorMessage, parseError } from '../../lib/errors';
import { formatDate } from '../../lib/format';
import { PatientAnalyses } from '../analyses/patient-analyses';
import { AccessLogPanel } from './access-log';
import { takeArrival } from './arrival';
import { Age } from './age';
import { AttachmentsPanel } from './attachments';
import { formatPhone, fullName } from './format';
import { EditPatientForm } from './patient-form';
import { accessLogQuery, patientListKey, patientQuery } from './queries';
import './patients.css';

/** A stored YYYY-MM-DD date, shown in the interface language (no time zone shift). */
function birthDateText(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return formatDate(new Date(y, m - 1, d), currentLocale());
}

export function PatientPage() {
  const { t } = useTranslation();
  const { patientId } = useParams({ from: '/_protected/patients/$patientId' });
  const patient = useQuery(patientQuery(patientId));
  const name = patient.data ? fullName(patient.data) : t('patient.titleFallback');
  usePageTitle(name);

  if (!patient.data) {
    const notFound = patient.isError && parseError(patient.error).appCode === 'NOT_FOUND';
    return (
      <div className="stack">
        <p className="patients__back">
          <Link to="/patients">{t('patients.backToList')}</Link>
        </p>
        <section className="panel" aria-labelledby="patient-title">
          <h1 id="patient-title" tabIndex={-1}>
            {t('patient.titleFallback')}
          </h1>
          {patient.isPending && <p role="status">{t('a11y.loading')}</p>}
          {notFound ? (
            <p className="notice notice--warning">{t('patient.notFound')}</p>
          ) : (
            patient.isError && (
              <QueryError
                error={patient.error}
                hasData={false}
                onRetry={() => void patient.refetch()}
              />
            )
          )}
        </section>
      </div>
    );
  }

  return (
    <div className="stack">
      <p className="patients__back">
        <Link to="/patients">{t('patients.backToList')}</Link>
      </p>
      <PatientRecord patient={patient.data} />
      {patient.isError && (
        <QueryError error={patient.error} hasData onRetry={() => void patient.refetch()} />
      )}
      <PatientAnalyses patientId={patient.data.id} />
      <AttachmentsPanel patientId={patient.data.id} />
      <AccessLogPanel patientId={patient.data.id} />
    </div>
  );
}

function PatientRecord({ patient }: { patient: PatientOutput }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const detailsRef = useRef<HTMLHeadingElement>(null);
  const titleRef = useRef<HTMLHeadingElement>(null);
  const editButtonRef = useRef<HTMLButtonElement>(null);
  const name = fullName(patient);
  const locale = currentLocale();

  useEffect(() => {
    if (takeArrival(patient.id)) titleRef.current?.focus();
  }, [patient.id]);

  // Where focus goes once the editor has closed; moved in the same commit that shows the
  // record again, so the status message and the focus arrive together.
  const returnFocus = useRef<'details' | 'edit' | null>(null);
  useLayoutEffect(() => {
    if (editing || !returnFocus.current) return;
    (returnFocus.current === 'details' ? detailsRef.current : editButtonRef.current)?.focus();
    returnFocus.current = null;
  }, [editing]);

  const closeEditor = (wasSaved: boolean) => {
    // Back to the record: after saving to what changed, after cancelling to the Edit button.
    returnFocus.current = wasSaved ? 'details' : 'edit';
    setEditing(false);
    setSaved(wasSaved);
  };

  const text = (value: string | null) =>
    value ? (
      <span className="patient-facts__text">{value}</span>
    ) : (
      <span className="muted">{t('patient.notGiven')}</span>
    );

  return (
    <section className="panel" aria-labelledby="patient-title">
      <div className="patients__head">
        <div>
          <h1 id="patient-title" ref={titleRef} tabIndex={-1}>
            {name}
          </h1>
          <p className="patient-summary">
            <Age patient={patient} />
            <span>{t(`patients.sex.${patient.sex}`)}</span>
            {patient.archivedAt && <span className="badge">{t('patients.archived')}</span>}
          </p>
        </div>
        {!editing && (
          <div className="patient-actions">
            <button
              ref={editButtonRef}
              type="button"
              className="button"
              onClick={() => {
                setSaved(false);
                setEditing(true);
              }}
            >
              {t('patient.edit')}
            </button>
            <ArchiveButton patient={patient} />
          </div>
        )}
      </div>
      {patient.archivedAt && (
        <p className="notice notice--warning">
          {t('patient.archivedNotice', { date: formatDate(patient.archivedAt, locale) })}
        </p>
      )}
      {editing ? (
        <EditPatientForm patient={patient} onDone={closeEditor} />
      ) : (
        <>
          <h2 id="patient-details-title" ref={detailsRef} tabIndex={-1}>
            {t('patient.detailsTitle')}
          </h2>
          <p role="status" className="form__status">
            {saved ? t('patient.saved') : ''}
          </p>
          <dl className="patient-facts">
            <div>
              <dt>{t('patient.age')}</dt>
              <dd>
                <Age patient={patient} />
              </dd>
            </div>
            <div>
              <dt>{t('patient.birthDate')}</dt>
              <dd>
                {patient.birthDate ? (
                  birthDateText(patient.birthDate)
                ) : (
                  <span className="muted">{t('patient.birthDateUnknown')}</span>
                )}
              </dd>
            </div>
            <div>
              <dt>{t('patient.sex')}</dt>
              <dd>{t(`patients.sex.${patient.sex}`)}</dd>
            </div>
            <div>
              <dt>{t('patient.phone')}</dt>
              <dd>{patient.phone ? formatPhone(patient.phone) : text(null)}</dd>
            </div>
            <div>
              <dt>{t('patient.address')}</dt>
              <dd>{text(patient.address)}</dd>
            </div>
            <div className="patient-facts__wide">
              <dt>{t('patient.allergies')}</dt>
              <dd>{text(patient.allergies)}</dd>
            </div>
            <div className="patient-facts__wide">
              <dt>{t('patient.chronicConditions')}</dt>
              <dd>{text(patient.chronicConditions)}</dd>
            </div>
            <div className="patient-facts__wide">
              <dt>{t('patient.currentMedications')}</dt>
              <dd>{text(patient.currentMedications)}</dd>
            </div>
            <div className="patient-facts__wide">
              <dt>{t('patient.notes')}</dt>
              <dd>{text(patient.notes)}</dd>
            </div>
          </dl>
        </>
      )}
    </section>
  );
}

function ArchiveButton({ patient }: { patient: PatientOutput }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const archived = patient.archivedAt !== null;
  const archive = useMutation(trpc.patient.archive.mutationOptions());
  const restore = useMutation(trpc.patient.restore.mutationOptions());
  const pending = archive.isPending || restore.isPending;
  const name = fullName(patient);

  const run = async () => {
    try {
      const next = await (archived ? restore : archive).mutateAsync({ id: patient.id });
      queryClient.setQueryData(patientQuery(patient.id).queryKey, next);
      toasts.success(
        archived ? t('patient.restoredToast', { name }) : t('patient.archivedToast', { name }),
      );
    } catch (error) {
      toasts.error(errorMessage(t, parseError(error)));
    } finally {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: patientListKey() }),
        queryClient.invalidateQueries({ queryKey: accessLogQuery(patient.id).queryKey }),
      ]);
    }
  };

  return (
    <ConfirmDialog
      trigger={
        <Button className={archived ? 'button' : 'button button--danger'} isDisabled={pending}>
          {archived
            ? pending
              ? t('patient.restoring')
              : t('patient.restore')
            : pending
              ? t('patient.archiving')
              : t('patient.archive')}
        </Button>
      }
      title={archived ? t('patient.restoreTitle') : t('patient.archiveTitle')}
      confirmLabel={archived ? t('patient.restoreConfirm') : t('patient.archiveConfirm')}
      cancelLabel={t('patient.cancel')}
      onConfirm={() => void run()}
    >
      <p>{archived ? t('patient.restoreBody', { name }) : t('patient.archiveBody', { name })}</p>
    </ConfirmDialog>
  );
}
