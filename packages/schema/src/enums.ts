/**
 * Every enumeration stored in the database, written once for TypeScript. Each list equals a
 * PostgreSQL enum type of the same meaning (a test compares them value by value, in order), so
 * zod schemas, service types and the generated table types cannot drift apart.
 */

/** `user_role` */
export const userRoles = ['doctor', 'admin'] as const;
export type UserRole = (typeof userRoles)[number];

/** `workspace_kind`: a doctor's own workspace or a clinic's. */
export const workspaceKinds = ['personal', 'clinic'] as const;
export type WorkspaceKind = (typeof workspaceKinds)[number];

/** `workspace_member_role` */
export const workspaceMemberRoles = ['owner', 'doctor'] as const;
export type WorkspaceMemberRole = (typeof workspaceMemberRoles)[number];

/** `subscription_status` */
export const subscriptionStatuses = ['trialing', 'active', 'expired', 'canceled'] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];

/** `session_revoke_reason`: why a session's refresh tokens stopped working. */
export const sessionRevokeReasons = [
  'logout',
  'user_revoked',
  'password_changed',
  'session_cap',
  'token_reuse',
  'admin',
] as const;
export type SessionRevokeReason = (typeof sessionRevokeReasons)[number];

/** `audit_outcome` */
export const auditOutcomes = ['success', 'failure', 'denied'] as const;
export type AuditOutcome = (typeof auditOutcomes)[number];

/** `audit_actor_role`: a user's role, or who acted when no user did. */
export const auditActorRoles = ['doctor', 'admin', 'system', 'anonymous'] as const;
export type AuditActorRole = (typeof auditActorRoles)[number];

// `locale` is the interface languages list in ./locale.

/** `patient_sex` */
export const patientSexes = ['male', 'female'] as const;
export type PatientSex = (typeof patientSexes)[number];

/** `file_purpose`: a document attached to a patient's record, or a payment receipt. */
export const filePurposes = ['attachment', 'receipt'] as const;
export type FilePurpose = (typeof filePurposes)[number];

/** `analysis_status`: waiting for the worker, being run, with its report, or given up on. */
export const analysisStatuses = ['queued', 'running', 'completed', 'failed'] as const;
export type AnalysisStatus = (typeof analysisStatuses)[number];

/** `feedback_verdict`: a doctor's view of one condition in a report. */
export const feedbackVerdicts = ['more_likely', 'less_likely', 'needs_review'] as const;
export type FeedbackVerdict = (typeof feedbackVerdicts)[number];

/** `payment_status`: waiting for an admin, or reviewed one way or the other. */
export const paymentStatuses = ['pending', 'approved', 'rejected'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

/** `payment_provider`: a bank receipt an admin checks; online providers later. */
export const paymentProviders = ['receipt', 'payme', 'click'] as const;
export type PaymentProvider = (typeof paymentProviders)[number];

/** `notification_kind`: what a notification tells its user (its text is per locale). */
export const notificationKinds = [
  'payment_approved',
  'payment_rejected',
  'subscription_expiring',
  'subscription_expired',
  'subscription_extended',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** `notification_channel`: outbound channels beside the in-app list. */
export const notificationChannels = ['email', 'sms'] as const;
export type NotificationChannel = (typeof notificationChannels)[number];

/** `delivery_status`: one channel's delivery of one notification. */
export const deliveryStatuses = ['pending', 'sent', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** `job_run_outcome` */
export const jobRunOutcomes = ['success', 'failure'] as const;
export type JobRunOutcome = (typeof jobRunOutcomes)[number];
