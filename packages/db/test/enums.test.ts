import * as schema from '@medora/schema';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type * as generated from '../src/generated/database';
import { createTestDatabase, type TestDatabase } from '../src/testing';

// Each PostgreSQL enum and the list in @medora/schema that TypeScript code uses for it.
const lists: Record<string, readonly string[]> = {
  user_role: schema.userRoles,
  locale: schema.locales,
  workspace_kind: schema.workspaceKinds,
  workspace_member_role: schema.workspaceMemberRoles,
  subscription_status: schema.subscriptionStatuses,
  session_revoke_reason: schema.sessionRevokeReasons,
  audit_outcome: schema.auditOutcomes,
  audit_actor_role: schema.auditActorRoles,
  patient_sex: schema.patientSexes,
  analysis_status: schema.analysisStatuses,
  feedback_verdict: schema.feedbackVerdicts,
  file_purpose: schema.filePurposes,
  payment_status: schema.paymentStatuses,
  payment_provider: schema.paymentProviders,
  notification_kind: schema.notificationKinds,
  notification_channel: schema.notificationChannels,
  delivery_status: schema.deliveryStatuses,
  job_run_outcome: schema.jobRunOutcomes,
};

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe('enumerations', () => {
  it('are the same in the migrated database and in @medora/schema, value by value', async () => {
    const { rows } = await sql<{ type: string; values: string[] }>`
      select t.typname::text as type, array_agg(e.enumlabel::text order by e.enumsortorder) as values
      from pg_type t
      join pg_enum e on e.enumtypid = t.oid
      join pg_namespace n on n.oid = t.typnamespace
      where n.nspname = 'public'
      group by t.typname`.execute(t.db);
    const inDatabase = Object.fromEntries(rows.map((r) => [r.type, r.values]));
    // Both directions: an enum or a value on one side only fails here.
    expect(inDatabase).toEqual(
      Object.fromEntries(Object.entries(lists).map(([k, v]) => [k, [...v]])),
    );
  });

  it('give the generated table types the same unions as @medora/schema', () => {
    // Checked by the type checker (`npm run typecheck`), which compiles this file.
    expectTypeOf<generated.UserRole>().toEqualTypeOf<schema.UserRole>();
    expectTypeOf<generated.Locale>().toEqualTypeOf<schema.Locale>();
    expectTypeOf<generated.WorkspaceKind>().toEqualTypeOf<schema.WorkspaceKind>();
    expectTypeOf<generated.WorkspaceMemberRole>().toEqualTypeOf<schema.WorkspaceMemberRole>();
    expectTypeOf<generated.SubscriptionStatus>().toEqualTypeOf<schema.SubscriptionStatus>();
    expectTypeOf<generated.SessionRevokeReason>().toEqualTypeOf<schema.SessionRevokeReason>();
    expectTypeOf<generated.AuditOutcome>().toEqualTypeOf<schema.AuditOutcome>();
    expectTypeOf<generated.AuditActorRole>().toEqualTypeOf<schema.AuditActorRole>();
    expectTypeOf<generated.PatientSex>().toEqualTypeOf<schema.PatientSex>();
    expectTypeOf<generated.FilePurpose>().toEqualTypeOf<schema.FilePurpose>();
    expectTypeOf<generated.AnalysisStatus>().toEqualTypeOf<schema.AnalysisStatus>();
    expectTypeOf<generated.FeedbackVerdict>().toEqualTypeOf<schema.FeedbackVerdict>();
    expectTypeOf<generated.PaymentStatus>().toEqualTypeOf<schema.PaymentStatus>();
    expectTypeOf<generated.PaymentProvider>().toEqualTypeOf<schema.PaymentProvider>();
    expectTypeOf<generated.NotificationKind>().toEqualTypeOf<schema.NotificationKind>();
    expectTypeOf<generated.NotificationChannel>().toEqualTypeOf<schema.NotificationChannel>();
    expectTypeOf<generated.DeliveryStatus>().toEqualTypeOf<schema.DeliveryStatus>();
    expectTypeOf<generated.JobRunOutcome>().toEqualTypeOf<schema.JobRunOutcome>();
  });
});
