import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { totpCode } from '@medora/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logFiles } from './log-files';
import { startTestServer, type TestServer } from './start-test-server';

// The real server logging to files at its most verbose level (debug, a superset of production's
// info) goes through a doctor's and an administrator's whole day, errors included, with values
// found nowhere else; then no log file may contain any of them.

let server: TestServer | undefined;
let logDir: string;

// Digits unlike any timestamp, id or counter a log line carries.
const suffix = String(1_000_000 + (process.pid % 8_000_000)).slice(-7);
const doctorPhone = { e164: `+99893${suffix}`, local: `93${suffix}` };
const patientPhone = { e164: `+99897${suffix}`, local: `97${suffix}` };
const adminPhone = `+99895${suffix}`;
const doctorPassword = `Qizil-Olma-${randomBytes(6).toString('hex')}`;
const adminPassword = `Kok-Tosh-${randomBytes(6).toString('hex')}`;
const totpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const doctorName = 'Zumradxon Qoraqalpoqova';
const patient = { firstName: 'Shahrizoda', lastName: 'Boysunbekova' };
const complaint = 'Tunda kuchli yotalib, ko‘krak qafasida sanchiq sezadi';
const labs = [
  { code: 'hemoglobin', value: 87.65, unit: 'g/L' },
  { code: 'ferritin', value: 4.321, unit: 'ug/L' },
];
const receiptNote = 'Kassir Gulsanamga naqd topshirildi';

/** Every way a phone number may have been written down. */
const phoneForms = (local: string) => {
  const [op, a, b, c] = [local.slice(0, 2), local.slice(2, 5), local.slice(5, 7), local.slice(7)];
  return [
    `+998${local}`,
    `998${local}`,
    local,
    `${op} ${a} ${b} ${c}`,
    `${op} ${a}-${b}-${c}`,
    `(${op}) ${a}-${b}-${c}`,
  ];
};

/** What the run used, that must never be logged; tokens and cookies are added as they arrive. */
const secrets = new Map<string, string>([
  ['doctor password', doctorPassword],
  ['admin password', adminPassword],
  ['TOTP secret', totpSecret],
  ['doctor name', doctorName],
  ['patient first name', patient.firstName],
  ['patient last name', patient.lastName],
  ['complaint', complaint],
  ['complaint (start)', complaint.slice(0, 20)],
  ['receipt note', receiptNote],
  ...labs.map((l) => [`lab value ${l.code}`, String(l.value)] as [string, string]),
  ...[doctorPhone.local, patientPhone.local, adminPhone.slice(4)].flatMap((local) =>
    phoneForms(local).map((form) => [`phone ${form}`, form] as [string, string]),
  ),
]);

beforeAll(async () => {
  logDir = await mkdtemp(path.join(tmpdir(), 'medora-log-scan-'));
  server = await startTestServer({
    env: {
      LOG_DIR: logDir,
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'json',
      ADMIN_PHONE: adminPhone,
      ADMIN_PASSWORD: adminPassword,
      ADMIN_TOTP_SECRET: totpSecret,
    },
  });
});
afterAll(async () => {
  await server?.stop();
  await rm(logDir, { recursive: true, force: true });
});

/** A browser's cookies: what the server set, sent back on the next requests. */
const cookies = new Map<string, string>();
const cookieHeader = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');

interface Result<T> {
  status: number;
  data: T;
  error: unknown;
}

async function call<T = unknown>(
  kind: 'query' | 'mutation',
  procedure: string,
  input: unknown,
  token?: string,
): Promise<Result<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (cookies.size) headers.cookie = cookieHeader();
  const payload = JSON.stringify({ json: input });
  const url = `${server!.baseUrl}/trpc/${procedure}`;
  const res =
    kind === 'query'
      ? await fetch(`${url}?input=${encodeURIComponent(payload)}`, { headers })
      : await fetch(url, { method: 'POST', headers, body: payload });
  for (const set of res.headers.getSetCookie()) {
    const [pair] = set.split(';');
    const [name, value] = pair!.split('=') as [string, string];
    if (value) {
      cookies.set(name, value);
      secrets.set(`cookie ${name}`, value);
    }
  }
  const body = (await res.json()) as { result?: { data: { json: T } }; error?: { json: unknown } };
  return { status: res.status, data: body.result?.data.json as T, error: body.error?.json };
}

const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

describe('the log files after a whole flow', () => {
  it('hold no password, token, cookie, phone number, name, complaint or lab value', async () => {
    // A doctor registers, fails a sign-in, signs in, refreshes with the cookie.
    const registered = await call<{ accessToken: string }>('mutation', 'auth.register', {
      phone: doctorPhone.e164,
      name: doctorName,
      password: doctorPassword,
    });
    expect(registered.status).toBe(200);
    secrets.set('register access token', registered.data.accessToken);
    const again = await call('mutation', 'auth.register', {
      phone: doctorPhone.local,
      name: doctorName,
      password: doctorPassword,
    });
    expect(again.status).toBe(409);
    const weak = await call('mutation', 'auth.register', {
      phone: patientPhone.e164,
      name: doctorName,
      password: 'short',
    });
    expect(weak.status).toBe(400);
    const wrong = await call('mutation', 'auth.login', {
      phone: doctorPhone.e164,
      password: `${doctorPassword}-wrong`,
    });
    expect(wrong.status).toBe(401);
    secrets.set('wrong password', `${doctorPassword}-wrong`);
    const login = await call<{ accessToken: string }>('mutation', 'auth.login', {
      phone: `+998 ${doctorPhone.local.slice(0, 2)} ${doctorPhone.local.slice(2)}`,
      password: doctorPassword,
    });
    expect(login.status).toBe(200);
    const refreshed = await call<{ session: { accessToken: string } }>(
      'mutation',
      'auth.refresh',
      null,
    );
    expect(refreshed.status).toBe(200);
    const token = refreshed.data.session.accessToken;
    secrets.set('login access token', login.data.accessToken);
    secrets.set('refreshed access token', token);

    // A patient, one bad input carrying the same values, and the list searched by name.
    const bad = await call(
      'mutation',
      'patient.create',
      { ...patient, sex: 'unknown', phone: patientPhone.local, birthDate: '31.02.1980' },
      token,
    );
    expect(bad.status).toBe(400);
    const created = await call<{ id: string }>(
      'mutation',
      'patient.create',
      { ...patient, sex: 'female', phone: patientPhone.e164, ageYears: 41 },
      token,
    );
    expect(created.status).toBe(200);
    const patientId = created.data.id;
    const found = await call<{ items: unknown[] }>(
      'query',
      'patient.list',
      { search: patient.lastName },
      token,
    );
    expect(found.status).toBe(200);
    expect(found.data.items).toHaveLength(1);
    const bySearchPhone = await call(
      'query',
      'patient.list',
      { search: patientPhone.local },
      token,
    );
    expect(bySearchPhone.status).toBe(200);

    // An analysis with the complaint and lab values; a second with a value out of range.
    const analysis = await call(
      'mutation',
      'analysis.create',
      { patientId, complaints: complaint, labs, idempotencyKey: randomUUID() },
      token,
    );
    expect(analysis.status).toBe(200);
    const badLab = await call(
      'mutation',
      'analysis.create',
      {
        patientId,
        complaints: complaint,
        labs: [{ code: 'Bad Code!', value: -labs[0]!.value, unit: 'g/L' }],
        idempotencyKey: 'short',
      },
      token,
    );
    expect(badLab.status).toBe(400);

    // A receipt upload and the payment it backs.
    const form = new FormData();
    form.append('purpose', 'receipt');
    form.append('file', new Blob([png], { type: 'image/png' }), `${patient.lastName}.png`);
    const uploaded = await fetch(`${server!.baseUrl}/api/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(uploaded.status).toBe(201);
    const receiptFileId = ((await uploaded.json()) as { id: string }).id;
    const plan = await server!.services.db
      .selectFrom('plans')
      .select('id')
      .where('code', '=', 'doctor_monthly')
      .executeTakeFirstOrThrow();
    const paid = await call<{ id: string }>(
      'mutation',
      'payment.submitReceipt',
      { planId: plan.id, receiptFileId, note: receiptNote },
      token,
    );
    expect(paid.status).toBe(200);

    // The administrator: a wrong password, then the password and an authenticator code.
    cookies.clear();
    const adminWrong = await call('mutation', 'auth.login', {
      phone: adminPhone,
      password: doctorPassword,
    });
    expect(adminWrong.status).toBe(401);
    const first = await call<{ secondFactor: string; challenge: string }>(
      'mutation',
      'auth.login',
      {
        phone: adminPhone,
        password: adminPassword,
      },
    );
    expect(first.status).toBe(200);
    expect(first.data.secondFactor).toBe('totp');
    secrets.set('second-factor challenge', first.data.challenge);
    const badCode = await call('mutation', 'auth.verifyTotp', {
      challenge: first.data.challenge,
      code: '000000',
    });
    expect(badCode.status).toBe(401);
    const verified = await call<{ accessToken: string }>('mutation', 'auth.verifyTotp', {
      challenge: first.data.challenge,
      code: totpCode(totpSecret),
    });
    expect(verified.status, JSON.stringify(verified.error)).toBe(200);
    const adminToken = verified.data.accessToken;
    secrets.set('admin access token', adminToken);
    const approved = await call(
      'mutation',
      'admin.payment.approve',
      { id: paid.data.id },
      adminToken,
    );
    expect(approved.status).toBe(200);
    const receipt = await fetch(`${server!.baseUrl}/api/admin/payments/${paid.data.id}/receipt`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(receipt.status).toBe(200);
    await receipt.arrayBuffer();

    // Stopping flushes the logs; the request lines are the sign the files were written.
    await server!.stop();
    server = undefined;
    const read = async () => {
      let text = '';
      for (const file of await logFiles(logDir)) text += await readFile(file, 'utf8');
      return text;
    };
    await expect
      .poll(async () => (await read()).includes('shutdown complete'), {
        timeout: 20_000,
      })
      .toBe(true);
    const text = await read();
    expect(text).toContain('/trpc/admin.payment.approve');
    expect(text).toContain('"msg":"request refused"');

    for (const [what, value] of secrets) expect(value.length, what).toBeGreaterThan(3);
    const leaks = [...secrets].filter(([, value]) => text.includes(value)).map(([what]) => what);
    expect(leaks).toEqual([]);
  }, 120_000);
});
