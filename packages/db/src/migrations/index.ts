import type { Migration } from 'kysely';
import * as foundation from './2026-11-26T0900_foundation';
import * as enums from './2026-12-01T2100_enums';
import * as patientsFiles from './2026-12-02T0100_patients_files';
import * as patientCounts from './2026-12-02T0500_patient_counts';
import * as searchKeyYe from './2026-12-02T0510_search_key_ye';
import * as analyses from './2026-12-02T0600_analyses';
import * as patientNameWords from './2026-12-02T1000_patient_name_words';
import * as billing from './2026-12-02T1100_billing';

/**
 * Every migration, in order. Listed explicitly (not read from disk) so the set is the same under
 * tsx, vitest and a bundler; the key is the dated file name (a test checks the two agree).
 */
export const migrations: Record<string, Migration> = {
  '2026-11-26T0900_foundation': foundation,
  '2026-12-01T2100_enums': enums,
  '2026-12-02T0100_patients_files': patientsFiles,
  '2026-12-02T0500_patient_counts': patientCounts,
  '2026-12-02T0510_search_key_ye': searchKeyYe,
  '2026-12-02T0600_analyses': analyses,
  '2026-12-02T1000_patient_name_words': patientNameWords,
  '2026-12-02T1100_billing': billing,
};
