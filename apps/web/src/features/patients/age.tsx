import { useTranslation } from 'react-i18next';
import type { PatientSummary } from '@medora/schema';
import { ageLabel } from './format';

/** "34 y" / "≈34 y" on screen; "34 years old" / "about 34 years old" to a screen reader. */
export function Age({
  patient,
}: {
  patient: Pick<PatientSummary, 'ageYears' | 'ageIsApproximate'>;
}) {
  const { t } = useTranslation();
  const { text, spoken } = ageLabel(t, patient);
  return (
    <span className="age">
      <span aria-hidden="true">{text}</span>
      <span className="visually-hidden">{spoken}</span>
    </span>
  );
}
