import { factories, signInDirectly, type TestDoctor } from '@medora/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './start-test-server';

// Over real HTTP: the admin's receipt viewer route, and the read-only rule on uploads.

let server: TestServer;
let make: ReturnType<typeof factories>;

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

async function upload(token: string, fields: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([PNG], { type: 'image/png' }), 'chek.png');
  const res = await fetch(`${server.baseUrl}/api/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
    body: form,
  });
  return {
    status: res.status,
    body: (await res.json()) as { id?: string; error?: { code: string } },
  };
}

const receiptOf = (token: string | null, paymentId: string) =>
  fetch(`${server.baseUrl}/api/admin/payments/${paymentId}/receipt`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

async function tokenOf(user: { userId: string }, opts: { secondFactor?: boolean } = {}) {
  return (await signInDirectly(server.services, user, undefined, opts)).accessToken;
}

beforeAll(async () => {
  server = await startTestServer();
  make = factories(server.services.db);
});
afterAll(() => server?.stop());

describe('GET /api/admin/payments/:id/receipt', () => {
  let doctor: TestDoctor;
  let doctorToken: string;
  let paymentId: string;

  beforeAll(async () => {
    doctor = await make.doctor();
    doctorToken = await tokenOf(doctor);
    const up = await upload(doctorToken, { purpose: 'receipt' });
    expect(up.status).toBe(201);
    const plan = await server.services.db
      .selectFrom('plans')
      .select('id')
      .where('code', '=', 'doctor_monthly')
      .executeTakeFirstOrThrow();
    const row = await server.services.db
      .insertInto('payments')
      .values({
        workspace_id: doctor.workspaceId,
        plan_id: plan.id,
        amount_tiyin: 9_900_000,
        receipt_file_id: up.body.id!,
        submitted_by: doctor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    paymentId = row.id;
  });

  it('streams the receipt inline to an administrator who passed the second factor, and audits it', async () => {
    const admin = await make.admin();
    const res = await receiptOf(await tokenOf(admin), paymentId);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-disposition')).toBe('inline; filename="chek.png"');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    // Inline, yet inert: nothing in it runs, and no page may frame it.
    expect(res.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'; sandbox",
    );
    const audit = await server.services.db
      .selectFrom('audit_log')
      .select(['actor_user_id', 'outcome'])
      .where('action', '=', 'admin.payment.receipt')
      .where('entity_id', '=', paymentId)
      .execute();
    expect(audit).toEqual([{ actor_user_id: admin.userId, outcome: 'success' }]);
  });

  it('refuses doctors (the owner too), administrators without the second factor and strangers', async () => {
    const owner = await receiptOf(doctorToken, paymentId);
    expect(owner.status).toBe(403);
    expect(((await owner.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    const half = await receiptOf(
      await tokenOf(await make.admin(), { secondFactor: false }),
      paymentId,
    );
    expect(half.status).toBe(403);
    expect(((await half.json()) as { error: { code: string } }).error.code).toBe(
      'SECOND_FACTOR_REQUIRED',
    );
    expect((await receiptOf(null, paymentId)).status).toBe(401);
    const admin = await tokenOf(await make.admin());
    expect((await receiptOf(admin, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await receiptOf(admin, 'not-an-id')).status).toBe(404);
  });

  it('the plain file route also wants the second factor from an administrator', async () => {
    const row = await server.services.db
      .selectFrom('payments')
      .select('receipt_file_id')
      .where('id', '=', paymentId)
      .executeTakeFirstOrThrow();
    const res = await fetch(`${server.baseUrl}/api/files/${row.receipt_file_id}`, {
      headers: {
        authorization: `Bearer ${await tokenOf(await make.admin(), { secondFactor: false })}`,
      },
    });
    expect(res.status).toBe(403);
  });

  it('the plain file route shows an administrator submitted receipts only, not mere uploads', async () => {
    const row = await server.services.db
      .selectFrom('payments')
      .select('receipt_file_id')
      .where('id', '=', paymentId)
      .executeTakeFirstOrThrow();
    const admin = { authorization: `Bearer ${await tokenOf(await make.admin())}` };
    const submitted = await fetch(`${server.baseUrl}/api/files/${row.receipt_file_id}`, {
      headers: admin,
    });
    expect(submitted.status).toBe(200);
    await submitted.arrayBuffer();
    const unsent = await upload(doctorToken, { purpose: 'receipt' });
    expect(unsent.status).toBe(201);
    const res = await fetch(`${server.baseUrl}/api/files/${unsent.body.id!}`, { headers: admin });
    expect(res.status).toBe(404);
  });
});

describe('uploads after the subscription has ended', () => {
  it('refuses attachments with SUBSCRIPTION_INACTIVE and keeps receipts open', async () => {
    const expired = await make.doctor({ subscription: 'expired' });
    const token = await tokenOf(expired);
    const patient = await make.patient(expired);
    const attachment = await upload(token, { purpose: 'attachment', patientId: patient.id });
    expect(attachment).toMatchObject({
      status: 403,
      body: { error: { code: 'SUBSCRIPTION_INACTIVE' } },
    });
    expect((await upload(token, { purpose: 'receipt' })).status).toBe(201);
    const files = await server.services.db
      .selectFrom('files')
      .select('purpose')
      .where('workspace_id', '=', expired.workspaceId)
      .execute();
    expect(files).toEqual([{ purpose: 'receipt' }]);
  });
});
