import type { Db } from '@medora/db';
import {
  fullYearsBetween,
  todayInTashkent,
  type AccessLogQuery,
  type CreatePatient,
  type ListPatients,
  type PatientListOutput,
  type PatientOutput,
  type PatientSummary,
  type UpdatePatient,
} from '@medora/schema';
import { patientAccessLog } from '../audit/queries';
import type { AuditService } from '../audit/index';
import { cancellableConnection, cancellableTransaction } from '../db';
import { notFound } from '../errors';
import type { DoctorScope } from '../scope';
import * as patients from './queries';
import { patientSearchKey } from './search-key';

/** The patient's age today: from the birth date, or the age once told plus the years since. */
export function ageOf(
  row: Pick<patients.PatientRow, 'birth_date' | 'age_years' | 'age_recorded_on'>,
  today: string = todayInTashkent(),
): { ageYears: number; ageIsApproximate: boolean } {
  if (row.birth_date)
    return { ageYears: fullYearsBetween(row.birth_date, today), ageIsApproximate: false };
  const told = row.age_years ?? 0;
  const since = row.age_recorded_on ? Math.max(0, fullYearsBetween(row.age_recorded_on, today)) : 0;
  return { ageYears: told + since, ageIsApproximate: true };
}

/** `today`: one Tashkent date per answer (formatting it is most of the cost of a row). */
function toSummary(
  row: patients.PatientSummaryRow,
  today: string = todayInTashkent(),
): PatientSummary {
  return {
    id: row.id,
    firstName: row.first_name,
    lastName: row.last_name,
    middleName: row.middle_name,
    birthDate: row.birth_date,
    ...ageOf(row, today),
    sex: row.sex,
    phone: row.phone,
    archivedAt: row.archived_at,
    createdAt: row.created_at,
  };
}

function toOutput(row: patients.PatientRow): PatientOutput {
  return {
    ...toSummary(row),
    address: row.address,
    allergies: row.allergies,
    chronicConditions: row.chronic_conditions,
    currentMedications: row.current_medications,
    notes: row.notes,
    updatedAt: row.updated_at,
  };
}

type Fields = Omit<UpdatePatient, 'id'>;

/** Input fields (camelCase) as columns; birth date and age always travel together. */
function columnsOf(input: Fields): Partial<patients.PatientValues> {
  const out: Partial<patients.PatientValues> = {};
  if (input.firstName !== undefined) out.first_name = input.firstName;
  if (input.lastName !== undefined) out.last_name = input.lastName;
  if (input.middleName !== undefined) out.middle_name = input.middleName;
  if (input.sex !== undefined) out.sex = input.sex;
  if (input.phone !== undefined) out.phone = input.phone;
  if (input.address !== undefined) out.address = input.address;
  if (input.allergies !== undefined) out.allergies = input.allergies;
  if (input.chronicConditions !== undefined) out.chronic_conditions = input.chronicConditions;
  if (input.currentMedications !== undefined) out.current_medications = input.currentMedications;
  if (input.notes !== undefined) out.notes = input.notes;
  if (input.birthDate !== undefined || input.ageYears !== undefined) {
    const age = input.birthDate ? null : (input.ageYears ?? null);
    out.birth_date = input.birthDate ?? null;
    out.age_years = age;
    out.age_recorded_on = age === null ? null : todayInTashkent();
  }
  return out;
}

/** Field names for the audit row: which fields changed, never their values. */
const changedFields = (input: Fields) =>
  Object.keys(input)
    .filter((k) => input[k as keyof Fields] !== undefined)
    .sort()
    .join(',');

/**
 * A doctor's patients. Every method takes the caller's DoctorScope; every read and change leaves
 * an audit row in the same transaction, and a foreign or unknown id is NOT_FOUND (audited as a
 * denial, so probing shows up in the trail).
 */
export class PatientService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
  ) {}

  /** `signal`: the caller gave up (the client hung up); the search stops in PostgreSQL too. */
  async list(
    scope: DoctorScope,
    input: ListPatients,
    opts: { signal?: AbortSignal } = {},
  ): Promise<PatientListOutput> {
    const today = todayInTashkent();
    return cancellableTransaction(this.db, opts.signal, async (trx) => {
      const page = await patients.listPatients(trx, scope, input);
      await this.audit.record(
        scope,
        {
          action: 'patient.list',
          outcome: 'success',
          entityType: 'patient',
          // Whether it was a search, never what was searched for (a name is PHI).
          meta: {
            search: Boolean(input.search),
            archived: input.archived,
            count: page.rows.length,
          },
        },
        trx,
      );
      return {
        items: page.rows.map((row) => toSummary(row, today)),
        total: page.total,
        totalCapped: page.totalCapped,
        nextCursor: page.nextCursor,
      };
    });
  }

  async get(scope: DoctorScope, id: string): Promise<PatientOutput> {
    const row = await this.db.transaction().execute(async (trx) => {
      const found = await patients.findPatient(trx, scope, id);
      if (found)
        await this.audit.record(
          scope,
          { action: 'patient.view', outcome: 'success', entityType: 'patient', entityId: id },
          trx,
        );
      return found;
    });
    if (!row) return this.deny(scope, 'patient.view', id);
    return toOutput(row);
  }

  async create(scope: DoctorScope, input: CreatePatient): Promise<PatientOutput> {
    return this.db.transaction().execute(async (trx) => {
      const values = { ...columnsOf(input), search_key: patientSearchKey(input) };
      const row = await patients.insertPatient(trx, scope, values as patients.PatientValues);
      await this.audit.record(
        scope,
        { action: 'patient.create', outcome: 'success', entityType: 'patient', entityId: row.id },
        trx,
      );
      return toOutput(row);
    });
  }

  async update(scope: DoctorScope, input: UpdatePatient): Promise<PatientOutput> {
    const { id, ...fields } = input;
    const row = await this.db.transaction().execute(async (trx) => {
      const current = await patients.lockPatient(trx, scope, id);
      if (!current) return undefined;
      const changes = columnsOf(fields);
      const names = {
        firstName: fields.firstName ?? current.first_name,
        lastName: fields.lastName ?? current.last_name,
        middleName: fields.middleName === undefined ? current.middle_name : fields.middleName,
        phone: fields.phone === undefined ? current.phone : fields.phone,
      };
      const updated = await patients.updatePatient(trx, scope, id, {
        ...changes,
        search_key: patientSearchKey(names),
      });
      await this.audit.record(
        scope,
        {
          action: 'patient.update',
          outcome: 'success',
          entityType: 'patient',
          entityId: id,
          meta: { fields: changedFields(fields) },
        },
        trx,
      );
      return updated;
    });
    if (!row) return this.deny(scope, 'patient.update', id);
    return toOutput(row);
  }

  archive(scope: DoctorScope, id: string): Promise<PatientOutput> {
    return this.setArchived(scope, id, true);
  }

  restore(scope: DoctorScope, id: string): Promise<PatientOutput> {
    return this.setArchived(scope, id, false);
  }

  /** `signal`: the caller gave up (the client hung up); the query stops in PostgreSQL too. */
  async accessLog(scope: DoctorScope, input: AccessLogQuery, opts: { signal?: AbortSignal } = {}) {
    const exists = await patients.findPatient(this.db, scope, input.id);
    if (!exists) return this.deny(scope, 'patient.access_log', input.id);
    return cancellableConnection(this.db, opts.signal, (conn) =>
      patientAccessLog(conn, scope, input.id, input),
    );
  }

  /** Archiving an archived patient (or restoring a listed one) changes nothing and says so by the row. */
  private async setArchived(
    scope: DoctorScope,
    id: string,
    archived: boolean,
  ): Promise<PatientOutput> {
    const action = archived ? 'patient.archive' : 'patient.restore';
    const row = await this.db.transaction().execute(async (trx) => {
      const changed = await patients.setArchived(trx, scope, id, archived);
      if (changed) {
        await this.audit.record(
          scope,
          { action, outcome: 'success', entityType: 'patient', entityId: id },
          trx,
        );
        return changed;
      }
      return patients.findPatient(trx, scope, id);
    });
    if (!row) return this.deny(scope, action, id);
    return toOutput(row);
  }

  /** Records the refused attempt, then answers NOT_FOUND whether the id exists elsewhere or not. */
  private async deny(scope: DoctorScope, action: string, id: string): Promise<never> {
    await this.audit.record(scope, {
      action,
      outcome: 'denied',
      entityType: 'patient',
      entityId: id,
    });
    throw notFound();
  }
}
