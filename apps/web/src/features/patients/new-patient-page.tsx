import { Link, useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../../components/page-title';
import { toasts } from '../../components/ui/toast';
import { focusOnArrival } from './arrival';
import { CreatePatientForm } from './patient-form';
import './patients.css';

export function NewPatientPage() {
  const { t } = useTranslation();
  usePageTitle(t('patients.createTitle'));
  const navigate = useNavigate();
  return (
    <div className="stack">
      <p className="patients__back">
        <Link to="/patients">{t('patients.backToList')}</Link>
      </p>
      <section className="panel" aria-labelledby="new-patient-title">
        <h1 id="new-patient-title" tabIndex={-1}>
          {t('patients.createTitle')}
        </h1>
        <p className="muted">{t('patients.createIntro')}</p>
        <CreatePatientForm
          onCreated={(patient) => {
            toasts.success(t('patients.created'));
            // The new record's page takes focus on its heading (the patient's name).
            focusOnArrival(patient.id);
            void navigate({ to: '/patients/$patientId', params: { patientId: patient.id } });
          }}
        />
      </section>
    </div>
  );
}
