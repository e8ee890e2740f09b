import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Db } from '@medora/db';
import type { Locale, ParsedAnalysisInput, PatientSex } from '@medora/schema';
import { sql } from 'kysely';
import type { AnalysisService } from '../analyses/service';
import type { AuditService } from '../audit/index';
import { systemMeta } from '../audit/index';
import { hashPassword } from '../auth/passwords';
import type { PatientService } from '../patients/service';
import type { DoctorScope } from '../scope';
import * as users from '../users/queries';
import type { WorkspaceService } from '../workspaces/service';

/** One example case to show: the entries of an analysis, with the patient it is about. */
export interface DemoExample {
  title: string;
  input: ParsedAnalysisInput;
}

export interface DemoResult {
  phone: string;
  password: string;
  workspaceId: string;
  patients: number;
  analyses: number;
}

// A dozen realistic names, Uzbek and Russian, by sex. The records say they are samples.
const NAMES: Record<PatientSex, [string, string, string][]> = {
  male: [
    ['Alisher', 'Karimov', 'Rustamovich'],
    ['Bobur', 'Toshmatov', 'Ergashevich'],
    ['Sardor', 'Yusupov', 'Anvarovich'],
    ['Дмитрий', 'Соколов', 'Игоревич'],
    ['Jasur', 'Rahimov', 'Shavkatovich'],
    ['Олег', 'Ким', 'Викторович'],
  ],
  female: [
    ['Dilnoza', 'Aliyeva', 'Bahodirovna'],
    ['Gulnora', 'Xasanova', 'Akmalovna'],
    ['Нигора', 'Юлдашева', 'Фарходовна'],
    ['Madina', 'Qodirova', 'Sherzodovna'],
    ['Елена', 'Петрова', 'Сергеевна'],
    ['Zarina', 'Nazarova', 'Olimovna'],
  ],
};
const SAMPLE_NOTE =
  'Namunaviy bemor: haqiqiy shaxs emas. Образец: не реальный человек. Sample record, not a real person.';

/**
 * A demonstration workspace for a clinic evaluating MedoraAI: a new doctor account (a generated
 * phone and password), twelve sample patients and one completed analysis per example case.
 * It only ever creates its own rows, through the same services a doctor's calls use (audited).
 * The workspace runs on the unlimited clinic plan, in trial, so every example fits the month.
 */
export class DemoService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly workspaces: WorkspaceService,
    private readonly patients: PatientService,
    private readonly analyses: AnalysisService,
  ) {}

  async seed(examples: readonly DemoExample[], locale: Locale = 'uz'): Promise<DemoResult> {
    const password = `Namuna-${randomBytes(9).toString('base64url')}`;
    const passwordHash = await hashPassword(password);
    const { scope, phone } = await this.db.transaction().execute(async (trx) => {
      for (;;) {
        // +998 99 …: a mobile number no real doctor registered here yet.
        const phone = `+99899${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
        const user = await users.insertUser(trx, {
          phone,
          name: 'Namuna Shifokor',
          password_hash: passwordHash,
          role: 'doctor',
          locale,
        });
        if (!user) continue;
        const workspaceId = await this.workspaces.setUpPersonal(trx, user);
        await trx
          .updateTable('workspaces')
          .set({
            name: 'Namunaviy klinika (demo)',
            plan_id: sql<string>`(select id from plans where code = 'clinic_monthly')`,
          })
          .where('id', '=', workspaceId)
          .execute();
        await this.audit.record(
          systemMeta,
          {
            action: 'demo.create',
            outcome: 'success',
            actorRole: 'system',
            workspaceId,
            entityType: 'workspace',
            entityId: workspaceId,
          },
          trx,
        );
        const scope: DoctorScope = {
          userId: user.id,
          role: 'doctor',
          workspaceId,
          sessionId: randomUUID(),
          ip: null,
          userAgent: 'medora-cli demo',
          requestId: null,
        };
        return { scope, phone };
      }
    });

    // One patient per example until there are twelve; later examples go to the patient of the
    // same sex whose age is nearest, so each analysis is about a fitting person.
    const made: { id: string; sex: PatientSex; ageYears: number }[] = [];
    const used = { male: 0, female: 0 };
    let analyses = 0;
    for (const example of examples) {
      const { sex, ageYears } = example.input.patient;
      let patient =
        made.length < 12 && used[sex] < NAMES[sex].length
          ? undefined
          : nearest(made, sex, ageYears);
      if (!patient) {
        const [firstName, lastName, middleName] = NAMES[sex][used[sex]++]!;
        const created = await this.patients.create(scope, {
          firstName,
          lastName,
          middleName,
          sex,
          ageYears,
          notes: SAMPLE_NOTE,
        });
        patient = { id: created.id, sex, ageYears };
        made.push(patient);
      }
      const { patient: p, labs, complaints, history, medications, vitals } = example.input;
      const analysis = await this.analyses.create(scope, {
        patientId: patient.id,
        complaints,
        history,
        medications,
        vitals,
        labs,
        patient: { pregnant: p.pregnant, weightKg: p.weightKg, heightCm: p.heightCm },
        attachmentIds: [],
        idempotencyKey: randomUUID(),
      });
      // Run now, so the workspace is filled even before a worker picks the jobs up; the jobs
      // then find the analyses completed and change nothing.
      await this.analyses.run(analysis.id, { number: 1, max: 1 });
      analyses += 1;
    }
    return { phone, password, workspaceId: scope.workspaceId, patients: made.length, analyses };
  }
}

/** The sample patient of that sex whose age is closest. */
function nearest<P extends { sex: PatientSex; ageYears: number }>(
  made: P[],
  sex: PatientSex,
  ageYears: number,
): P | undefined {
  return made
    .filter((m) => m.sex === sex)
    .sort((a, b) => Math.abs(a.ageYears - ageYears) - Math.abs(b.ageYears - ageYears))[0];
}
