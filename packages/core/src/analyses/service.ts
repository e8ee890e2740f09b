import type { Db } from '@medora/db';
import {
  analysisInput,
  analysisReport,
  type AnalysisEnrichment,
  type AnalysisListOutput,
  type AnalysisOutput,
  type AnalysisReport,
  type AnalysisStatsOutput,
  type AnalysisStatusEvent,
  type CreateAnalysis,
  type AnalysisFeedback,
  type EnrichmentFailure,
  type ListAnalyses,
  type ParsedAnalysisInput,
} from '@medora/schema';
import type { AuditService } from '../audit/index';
import { systemMeta } from '../audit/index';
import type { Cache } from '../cache/index';
import { cancellableConnection } from '../db';
import { AppError, notFound } from '../errors';
import { addJob } from '../jobs/index';
import type { Logger } from '../logger';
import { findPatient } from '../patients/queries';
import { ageOf } from '../patients/service';
import type { DoctorScope } from '../scope';
import * as usage from '../usage/queries';
import type { AnalysisEvents } from './events';
import * as q from './queries';

/** The deterministic engine: same input, same report. */
export type Engine = (input: ParsedAnalysisInput) => AnalysisReport;

/** Optional enrichment by a language model; never throws (see the llm folder). */
export interface Enricher {
  enrich(
    input: ParsedAnalysisInput,
    report: AnalysisReport,
  ): Promise<
    { ok: true; enrichment: AnalysisEnrichment } | { ok: false; failure: EnrichmentFailure }
  >;
}

/** How often the worker tries an analysis before it fails for good and gives its unit back. */
export const ANALYSIS_MAX_ATTEMPTS = 5;
/** The statistics' lifetime in the cache (dropped earlier when an analysis completes). */
export const STATS_TTL_SECONDS = 300;
/** A reason the doctor can read (a translation key on the client). */
export const FAILURE_REASON = 'analysis.failed';

// Not the key of earlier versions, which stored the bare value: servers of both versions may
// share Redis during a rolling deploy.
const statsKey = (workspaceId: string) => `stats:analyses:${workspaceId}`;

/** Rolls the creating transaction back when a concurrent call with the same key won. */
class SameKey extends Error {}

export class AnalysisService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly cache: Cache,
    private readonly logger: Logger,
    private readonly engine: Engine,
    readonly events: AnalysisEvents,
    private readonly enricher: Enricher | null = null,
  ) {
    // Every process that hears an analysis complete drops that workspace's statistics, so they
    // are fresh on the next read whichever cache (memory or Redis) the process has.
    events.onAny((notice) => {
      if (notice.status === 'completed') void this.cache.invalidate(statsKey(notice.workspaceId));
    });
  }

  /**
   * In one transaction: the subscription must be usable, one unit of the month's allowance is
   * taken, the analysis is stored as queued with the patient's sex and age copied in, and its
   * job is enqueued. Any refusal rolls back all of it. The same idempotency key answers the
   * analysis the first call made, without taking another unit.
   */
  async create(scope: DoctorScope, input: CreateAnalysis): Promise<AnalysisOutput> {
    const earlier = await q.findByIdempotencyKey(this.db, scope, input.idempotencyKey);
    if (earlier) return (await this.load(scope, earlier.id))!;
    let id: string;
    try {
      id = await this.db.transaction().execute(async (trx) => {
        const patient = await findPatient(trx, scope, input.patientId);
        if (!patient) throw notFound();
        const allowance = await usage.allowanceOf(trx, scope);
        if (!allowance.usable) throw new AppError('FORBIDDEN', 'SUBSCRIPTION_INACTIVE');
        const unit = await usage.takeUnit(trx, scope, allowance.limit);
        if (!unit) {
          const now = await usage.currentUsage(trx, scope);
          throw new AppError('FORBIDDEN', 'USAGE_LIMIT_REACHED', {
            usage: { used: now.used, limit: allowance.limit, resetsAt: now.resetsAt.toISOString() },
          });
        }
        const author = await trx
          .selectFrom('users')
          .select('locale')
          .where('id', '=', scope.userId)
          .executeTakeFirstOrThrow();
        const engineInput = analysisInput.parse({
          locale: author.locale,
          patient: { sex: patient.sex, ageYears: ageOf(patient).ageYears, ...input.patient },
          complaints: input.complaints,
          history: input.history,
          medications: input.medications,
          vitals: input.vitals,
          labs: input.labs,
        });
        const row = await q.insertAnalysis(trx, scope, {
          patientId: patient.id,
          input: engineInput,
          idempotencyKey: input.idempotencyKey,
          usagePeriod: unit.periodStart,
        });
        if (!row) throw new SameKey();
        const attached = await q.attachFiles(trx, scope, row.id, patient.id, input.attachmentIds);
        // A file of another patient or workspace is as unknown as one that does not exist.
        if (attached !== input.attachmentIds.length) throw notFound();
        await addJob(
          trx,
          'analysis__run',
          { analysisId: row.id },
          { jobKey: `analysis__run:${row.id}`, maxAttempts: ANALYSIS_MAX_ATTEMPTS },
        );
        await this.audit.record(
          scope,
          {
            action: 'analysis.create',
            outcome: 'success',
            entityType: 'analysis',
            entityId: row.id,
            meta: { patientId: patient.id, labs: engineInput.labs.length, attachments: attached },
          },
          trx,
        );
        return row.id;
      });
    } catch (err) {
      if (err instanceof SameKey) {
        const winner = await q.findByIdempotencyKey(this.db, scope, input.idempotencyKey);
        if (winner) return (await this.load(scope, winner.id))!;
      }
      if (err instanceof AppError && err.code === 'NOT_FOUND')
        await this.recordDenied(scope, 'analysis.create', input.patientId);
      throw err;
    }
    return (await this.load(scope, id))!;
  }

  /** Opening an analysis is a read of health data: it is recorded. */
  async get(scope: DoctorScope, id: string): Promise<AnalysisOutput> {
    const found = await this.load(scope, id);
    if (!found) return this.deny(scope, 'analysis.view', id);
    await this.audit.record(scope, {
      action: 'analysis.view',
      outcome: 'success',
      entityType: 'analysis',
      entityId: id,
      meta: { patientId: found.patientId },
    });
    return found;
  }

  /** The analysis as the API shows it (create and feedback answer it without a view row). */
  private async load(scope: DoctorScope, id: string): Promise<AnalysisOutput | null> {
    const row = await q.findAnalysis(this.db, scope, id);
    if (!row) return null;
    const [files, feedback] = await Promise.all([
      q.analysisFiles(this.db, scope, id),
      q.feedbackOf(this.db, id, scope.userId),
    ]);
    return {
      id: row.id,
      patientId: row.patient_id,
      status: row.status,
      input: analysisInput.parse(row.input),
      report: row.report === null ? null : analysisReport.parse(row.report),
      enrichment: (row.enrichment as AnalysisEnrichment | null) ?? null,
      enrichmentFailure: (row.enrichment_failure as EnrichmentFailure | null) ?? null,
      failureReason: row.failure_reason,
      createdBy: { id: row.created_by, name: row.author_name },
      attachments: files.map((f) => ({
        id: f.id,
        name: f.name,
        mime: f.mime,
        size: Number(f.size),
        sha256: f.sha256,
        purpose: f.purpose,
        patientId: f.patient_id,
        uploadedBy: { id: f.uploaded_by, name: f.uploader_name },
        createdAt: f.created_at,
      })),
      feedback: feedback.map((f) => ({
        conditionCode: f.condition_code,
        verdict: f.verdict,
        comment: f.comment,
        updatedAt: f.updated_at,
      })),
      createdAt: row.created_at,
      completedAt: row.completed_at,
    };
  }

  /** `signal`: the caller gave up (the client hung up); the query stops in PostgreSQL too. */
  async list(
    scope: DoctorScope,
    input: ListAnalyses,
    opts: { signal?: AbortSignal } = {},
  ): Promise<AnalysisListOutput> {
    if (input.patientId && !(await findPatient(this.db, scope, input.patientId)))
      return this.deny(scope, 'analysis.list', input.patientId, 'patient');
    const page = await cancellableConnection(this.db, opts.signal, (conn) =>
      q.listAnalyses(conn, scope, input),
    );
    await this.audit.record(scope, {
      action: 'analysis.list',
      outcome: 'success',
      entityType: 'analysis',
      meta: { count: page.rows.length, ...(input.patientId && { patientId: input.patientId }) },
    });
    return {
      items: page.rows.map((r) => ({
        id: r.id,
        status: r.status,
        patient: { id: r.patient_id, firstName: r.first_name, lastName: r.last_name },
        createdBy: { id: r.created_by, name: r.author_name },
        createdAt: r.created_at,
        completedAt: r.completed_at,
        topCondition: r.top ? { code: r.top.code, name: r.top.name, score: r.top.score } : null,
        redFlags: r.red_flags,
        labs: r.labs,
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** The status now, for a live view's first frame (and for polling). */
  async status(scope: DoctorScope, id: string): Promise<AnalysisStatusEvent> {
    const row = await q.findStatus(this.db, scope, id);
    if (!row) return this.deny(scope, 'analysis.view', id);
    return { id: row.id, status: row.status, failureReason: row.failure_reason };
  }

  /** One verdict per doctor and condition of the report; sent again, it replaces the last. */
  async feedback(scope: DoctorScope, input: AnalysisFeedback): Promise<AnalysisOutput> {
    const row = await q.findAnalysis(this.db, scope, input.id);
    if (!row) return this.deny(scope, 'analysis.feedback', input.id);
    const report = row.report as AnalysisReport | null;
    const enrichment = row.enrichment as AnalysisEnrichment | null;
    const named = [
      ...(report?.differential.map((d) => d.code) ?? []),
      ...(enrichment?.hypotheses.flatMap((h) => (h.code ? [h.code] : [])) ?? []),
    ];
    if (!named.includes(input.conditionCode))
      throw new AppError('BAD_REQUEST', 'VALIDATION_FAILED', {
        fieldErrors: { conditionCode: ['analysis.condition_not_in_report'] },
      });
    await this.db.transaction().execute(async (trx) => {
      await q.upsertFeedback(trx, {
        analysisId: row.id,
        userId: scope.userId,
        conditionCode: input.conditionCode,
        verdict: input.verdict,
        comment: input.comment,
      });
      await this.audit.record(
        scope,
        {
          action: 'analysis.feedback',
          outcome: 'success',
          entityType: 'analysis',
          entityId: row.id,
          meta: { conditionCode: input.conditionCode, verdict: input.verdict },
        },
        trx,
      );
    });
    return (await this.load(scope, row.id))!;
  }

  /**
   * Totals and the most frequent leading conditions, cached for five minutes per workspace and
   * dropped when one of its analyses completes; the usage is read fresh every time (one row),
   * so the count a doctor sees before sending is never stale.
   */
  async stats(scope: DoctorScope): Promise<AnalysisStatsOutput> {
    const [cached, now, allowance] = await Promise.all([
      this.cache.getOrLoad(statsKey(scope.workspaceId), STATS_TTL_SECONDS, async () => {
        const s = await q.workspaceStats(this.db, scope);
        return { total: s.total, thisMonth: s.thisMonth, topConditions: s.top };
      }),
      usage.currentUsage(this.db, scope),
      usage.allowanceOf(this.db, scope),
    ]);
    return {
      ...cached,
      usage: {
        used: now.used,
        limit: allowance.limit,
        periodStart: now.periodStart,
        resetsAt: now.resetsAt,
      },
    };
  }

  /**
   * The worker's job: the report (and the optional enrichment) stored with completed. Running it
   * again after completion changes nothing. An error is thrown back so Graphile Worker retries
   * with backoff; on the last attempt the analysis fails with a reason the doctor can read and
   * its unit goes back to the month it came from. The unit is taken at create and only ever
   * given back by that failure, so no attempt, failed or crashed, changes the usage count.
   */
  async run(analysisId: string, attempt: { number: number; max: number }): Promise<void> {
    try {
      if (this.enricher) await this.runInSteps(analysisId, attempt, this.enricher);
      else await this.runInOne(analysisId, attempt);
    } catch (err) {
      // Never the input or the report in the log: the error's class and message only.
      this.logger.warn(
        { analysisId, attempt: attempt.number, of: attempt.max, error: (err as Error).name },
        'analysis run failed',
      );
      if (attempt.number < attempt.max) throw err;
      await this.fail(analysisId, attempt.number);
    }
  }

  /**
   * Rules only (no language model): the engine takes a few milliseconds, so the row is locked,
   * the report stored and both audit rows (start, complete) written in ONE transaction with one
   * commit — half the round trips and commits of two, which is most of an analysis's latency.
   * Nothing of a crashed attempt commits: the analysis stays queued for the retry. An attempt
   * that fails in-process is then recorded as a started run (running, `analysis.start`), as
   * the stepped run leaves it, so the live view and the trail read the same whichever path ran.
   */
  private async runInOne(analysisId: string, attempt: { number: number }): Promise<void> {
    try {
      await this.db.transaction().execute(async (trx) => {
        const row = await q.lockForRun(trx, analysisId);
        if (!row || row.status === 'completed' || row.status === 'failed') return;
        const report = this.report(row.input);
        await q.setStatus(trx, analysisId, 'completed', {
          ...storedReport(report, null),
          startedNow: true,
        });
        await this.audit.recordAll(
          systemMeta,
          [
            startEntry(row.workspace_id, analysisId, attempt.number),
            completeEntry(row.workspace_id, analysisId, attempt.number, false),
          ],
          trx,
        );
        await q.notifyStatus(trx, {
          id: row.id,
          workspaceId: row.workspace_id,
          status: 'completed',
        });
      });
    } catch (err) {
      await this.start(analysisId, attempt.number).catch((startErr: unknown) =>
        this.logger.warn(
          { analysisId, error: (startErr as Error).name },
          'failed analysis attempt not recorded',
        ),
      );
      throw err;
    }
  }

  /**
   * With a language model: running is committed first (the live view shows it while the model
   * answers, seconds), then the report; no row lock is held across the model's call.
   */
  private async runInSteps(
    analysisId: string,
    attempt: { number: number },
    enricher: Enricher,
  ): Promise<void> {
    const started = await this.start(analysisId, attempt.number);
    if (!started) return;
    const report = this.report(started.input);
    const input = analysisInput.parse(started.input);
    const enriched = await enricher.enrich(input, report);
    await this.db.transaction().execute(async (trx) => {
      const row = await q.lockForRun(trx, analysisId);
      if (!row || row.status === 'completed' || row.status === 'failed') return;
      await q.setStatus(trx, analysisId, 'completed', storedReport(report, enriched));
      await this.audit.record(
        systemMeta,
        completeEntry(row.workspace_id, analysisId, attempt.number, enriched.ok),
        trx,
      );
      await q.notifyStatus(trx, { id: row.id, workspaceId: row.workspace_id, status: 'completed' });
    });
  }

  /** Marks the analysis running with its audit row; null when it is finished already. */
  private async start(analysisId: string, attempt: number) {
    return this.db.transaction().execute(async (trx) => {
      const row = await q.lockForRun(trx, analysisId);
      if (!row || row.status === 'completed' || row.status === 'failed') return null;
      await q.setStatus(trx, analysisId, 'running');
      await this.audit.record(systemMeta, startEntry(row.workspace_id, analysisId, attempt), trx);
      await q.notifyStatus(trx, { id: row.id, workspaceId: row.workspace_id, status: 'running' });
      return row;
    });
  }

  /** The engine's report of a stored input, checked against the report schema. */
  private report(storedInput: unknown): AnalysisReport {
    return analysisReport.parse(this.engine(analysisInput.parse(storedInput)));
  }

  private async fail(analysisId: string, attempt: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await q.lockForRun(trx, analysisId);
      if (!row || row.status === 'completed' || row.status === 'failed') return;
      const refund = row.refunded_at === null;
      if (refund) await usage.refundUnit(trx, row.workspace_id, row.usage_period);
      await q.setStatus(trx, analysisId, 'failed', {
        failureReason: FAILURE_REASON,
        refunded: refund,
      });
      await this.audit.record(
        systemMeta,
        {
          action: 'analysis.fail',
          outcome: 'failure',
          actorRole: 'system',
          workspaceId: row.workspace_id,
          entityType: 'analysis',
          entityId: analysisId,
          meta: { attempt, refunded: refund },
        },
        trx,
      );
      await q.notifyStatus(trx, { id: row.id, workspaceId: row.workspace_id, status: 'failed' });
    });
  }

  private async recordDenied(scope: DoctorScope, action: string, id: string, type = 'analysis') {
    await this.audit.record(scope, { action, outcome: 'denied', entityType: type, entityId: id });
  }

  /** Records the refused attempt, then answers NOT_FOUND whether the id exists elsewhere or not. */
  private async deny(
    scope: DoctorScope,
    action: string,
    id: string,
    type = 'analysis',
  ): Promise<never> {
    await this.recordDenied(scope, action, id, type);
    throw notFound();
  }
}

const startEntry = (workspaceId: string, analysisId: string, attempt: number) => ({
  action: 'analysis.start',
  outcome: 'success' as const,
  actorRole: 'system' as const,
  workspaceId,
  entityType: 'analysis',
  entityId: analysisId,
  meta: { attempt },
});

const completeEntry = (
  workspaceId: string,
  analysisId: string,
  attempt: number,
  enriched: boolean,
) => ({
  action: 'analysis.complete',
  outcome: 'success' as const,
  actorRole: 'system' as const,
  workspaceId,
  entityType: 'analysis',
  entityId: analysisId,
  meta: { attempt, enriched },
});

type Enrichment = Awaited<ReturnType<Enricher['enrich']>>;

/** The columns a completion writes: the report, the engine's name, the enrichment or its failure. */
const storedReport = (report: AnalysisReport, enriched: Enrichment | null) => ({
  report,
  engine: `${report.engine.kind} ${report.engine.version} / kb ${report.engine.knowledgeBase}`,
  enrichment: enriched?.ok ? enriched.enrichment : null,
  enrichmentFailure: enriched && !enriched.ok ? enriched.failure : null,
});
