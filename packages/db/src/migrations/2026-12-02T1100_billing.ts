import { sql, type Kysely } from 'kysely';

// Money, the admin's second factor, scheduled jobs and notifications: the tables the
// subscription, payment, admin, notification and job code share. Frozen history: no application
// imports.
//
// - `workspaces.access_ends_at`: when the workspace's access ends (the trial's end while
//   trialing, the period's end otherwise), generated so that it cannot disagree with the two
//   columns it reads. One partial index over it serves the expiry job and the warnings, and
//   their cost grows with the number of workspaces due, not with the table.
// - `payments` is the ledger every provider shares: receipts now, Payme and Click later.
//   Amounts are integer tiyin; `(provider, external_id)` is unique; at most one pending payment
//   per workspace is a database rule; a reviewed payment records who reviewed it and when, and
//   what the approval did to the period.
// - `notifications` are per user with a dedupe key (a job re-run or a double click never sends
//   twice); `notification_deliveries` tracks each outbound channel on its own.
// - `job_runs` is the record each scheduled or on-demand run leaves, success or failure.
// - `usage_counters.closed_at`: a month's count is closed into history by the rollover job;
//   limits never depend on it (they read the current month's row).
// - Admins: an encrypted TOTP secret, the last accepted time step (a code is accepted once),
//   hashed recovery codes, and the moment a session passed its second factor.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create type payment_status as enum ('pending', 'approved', 'rejected')`.execute(db);
  await sql`create type payment_provider as enum ('receipt', 'payme', 'click')`.execute(db);
  await sql`create type notification_kind as enum ('payment_approved', 'payment_rejected',
    'subscription_expiring', 'subscription_expired', 'subscription_extended')`.execute(db);
  await sql`create type notification_channel as enum ('email', 'sms')`.execute(db);
  await sql`create type delivery_status as enum ('pending', 'sent', 'failed', 'skipped')`.execute(
    db,
  );
  await sql`create type job_run_outcome as enum ('success', 'failure')`.execute(db);

  await sql`alter table plans add column updated_at timestamptz not null default now()`.execute(db);

  await sql`alter table workspaces add column access_ends_at timestamptz generated always as (
    case when subscription_status = 'trialing' then trial_ends_at else current_period_end end
  ) stored`.execute(db);
  await sql`create index workspaces_access_due_idx on workspaces (access_ends_at)
    where subscription_status in ('trialing', 'active')`.execute(db);

  await sql`alter table users add column email text
    check (email is null or (char_length(email) <= 254 and email ~ '^[^@\\s]+@[^@\\s]+$'))`.execute(
    db,
  );
  await sql`alter table users add column totp_secret text`.execute(db);
  await sql`alter table users add column totp_enrolled_at timestamptz`.execute(db);
  await sql`alter table users add column totp_last_step bigint`.execute(db);
  await sql`alter table users add constraint users_totp_enrolled_has_secret
    check (totp_enrolled_at is null or totp_secret is not null)`.execute(db);
  await sql`create table admin_recovery_codes (
    user_id uuid not null references users (id) on delete cascade,
    code_hash text not null,
    created_at timestamptz not null default now(),
    used_at timestamptz,
    primary key (user_id, code_hash)
  )`.execute(db);
  await sql`alter table sessions add column second_factor_at timestamptz`.execute(db);

  await sql`create table payments (
    id uuid primary key default gen_random_uuid(),
    workspace_id uuid not null references workspaces (id) on delete restrict,
    plan_id uuid not null references plans (id) on delete restrict,
    provider payment_provider not null default 'receipt',
    external_id text check (char_length(external_id) between 1 and 200),
    amount_tiyin bigint not null check (amount_tiyin >= 0),
    currency text not null default 'UZS' check (currency = 'UZS'),
    status payment_status not null default 'pending',
    receipt_file_id uuid,
    note text check (char_length(note) <= 500),
    submitted_by uuid references users (id) on delete set null,
    reviewed_by uuid references users (id) on delete set null,
    reviewed_at timestamptz,
    rejection_reason text check (char_length(rejection_reason) between 1 and 500),
    period_end_before timestamptz,
    period_end_after timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    foreign key (workspace_id, receipt_file_id) references files (workspace_id, id)
      on delete restrict,
    unique (provider, external_id),
    constraint payments_reviewed check ((status = 'pending') = (reviewed_at is null)),
    constraint payments_rejected_has_reason
      check ((status = 'rejected') = (rejection_reason is not null)),
    constraint payments_receipt_has_file check (provider <> 'receipt' or receipt_file_id is not null)
  )`.execute(db);
  await sql`create unique index payments_one_pending_idx on payments (workspace_id)
    where status = 'pending'`.execute(db);
  await sql`create index payments_status_created_idx on payments (status, created_at desc, id desc)`.execute(
    db,
  );
  await sql`create index payments_workspace_created_idx on payments
    (workspace_id, created_at desc, id desc)`.execute(db);
  await sql`create index payments_reviewed_at_idx on payments (reviewed_at)
    where status = 'approved'`.execute(db);

  await sql`create table notifications (
    id uuid primary key default gen_random_uuid(),
    user_id uuid not null references users (id) on delete cascade,
    workspace_id uuid references workspaces (id) on delete cascade,
    kind notification_kind not null,
    params jsonb not null default '{}'::jsonb,
    dedupe_key text not null check (char_length(dedupe_key) between 1 and 200),
    created_at timestamptz not null default now(),
    read_at timestamptz,
    unique (user_id, dedupe_key)
  )`.execute(db);
  await sql`create index notifications_user_created_idx on notifications
    (user_id, created_at desc, id desc)`.execute(db);
  await sql`create index notifications_user_unread_idx on notifications (user_id)
    where read_at is null`.execute(db);
  await sql`create table notification_deliveries (
    notification_id uuid not null references notifications (id) on delete cascade,
    channel notification_channel not null,
    status delivery_status not null default 'pending',
    attempts integer not null default 0 check (attempts >= 0),
    last_error text check (char_length(last_error) <= 500),
    sent_at timestamptz,
    updated_at timestamptz not null default now(),
    primary key (notification_id, channel)
  )`.execute(db);

  await sql`create table job_runs (
    id bigserial primary key,
    task text not null check (task ~ '^[a-z]+__[a-z_]+$'),
    job_id text,
    started_at timestamptz not null,
    finished_at timestamptz not null,
    outcome job_run_outcome not null,
    affected integer check (affected >= 0),
    error text check (char_length(error) <= 500),
    meta jsonb not null default '{}'::jsonb
  )`.execute(db);
  await sql`create index job_runs_task_started_idx on job_runs (task, started_at desc)`.execute(db);

  await sql`alter table usage_counters add column closed_at timestamptz`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table usage_counters drop column closed_at`.execute(db);
  await sql`drop table job_runs`.execute(db);
  await sql`drop table notification_deliveries`.execute(db);
  await sql`drop table notifications`.execute(db);
  await sql`drop table payments`.execute(db);
  await sql`alter table sessions drop column second_factor_at`.execute(db);
  await sql`drop table admin_recovery_codes`.execute(db);
  await sql`alter table users drop constraint users_totp_enrolled_has_secret`.execute(db);
  await sql`alter table users drop column totp_last_step`.execute(db);
  await sql`alter table users drop column totp_enrolled_at`.execute(db);
  await sql`alter table users drop column totp_secret`.execute(db);
  await sql`alter table users drop column email`.execute(db);
  await sql`drop index workspaces_access_due_idx`.execute(db);
  await sql`alter table workspaces drop column access_ends_at`.execute(db);
  await sql`alter table plans drop column updated_at`.execute(db);
  await sql`drop type job_run_outcome`.execute(db);
  await sql`drop type delivery_status`.execute(db);
  await sql`drop type notification_channel`.execute(db);
  await sql`drop type notification_kind`.execute(db);
  await sql`drop type payment_provider`.execute(db);
  await sql`drop type payment_status`.execute(db);
}
