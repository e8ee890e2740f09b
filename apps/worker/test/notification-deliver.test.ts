import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expireSubscriptions, notify, type NewNotification, type Services } from '@medora/core';
import { createTestDatabase, factories, type TestDatabase } from '@medora/core/testing';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTaskList } from '../src/tasks/index';
import { NOTIFICATION_DELIVER_TASK } from '../src/tasks/notification__deliver';
import { helpersFor, testServices } from './support';

// ---------------------------------------------------------------------------------------------
// A real SMTP server on a random port, keeping what it receives.

interface Received {
  to: string[];
  subject: string;
  text: string;
}

let smtp: SMTPServer;
let smtpPort: number;
const mails: Received[] = [];

// A local HTTP server speaking Eskiz's protocol: login hands out tokens, send needs a live one.
interface EskizState {
  logins: number;
  validTokens: Set<string>;
  sent: { mobile_phone: string; message: string; from: string; token: string }[];
  /** HTTP status of every send while set (a provider outage). */
  failSends: number | null;
}
let eskiz: Server;
let eskizUrl: string;
const state: EskizState = { logins: 0, validTokens: new Set(), sent: [], failSends: null };
const ESKIZ_PASSWORD = 'eskiz-secret-password';
// Per run: the token is cached under the account in Redis, which parallel runs share.
const ESKIZ_EMAIL = `medora-${randomBytes(4).toString('hex')}@example.uz`;

async function formOf(req: IncomingMessage): Promise<FormData> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Response(Buffer.concat(chunks), {
    headers: { 'content-type': req.headers['content-type'] ?? '' },
  }).formData();
}

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      simpleParser(stream)
        .then((mail) => {
          mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
          });
          done();
        })
        .catch(done);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;

  eskiz = createServer((req, res) => {
    void (async () => {
      const form = await formOf(req);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST' && req.url === '/api/auth/login') {
        if (form.get('email') !== ESKIZ_EMAIL || form.get('password') !== ESKIZ_PASSWORD)
          return json(401, { message: 'Invalid credentials' });
        state.logins += 1;
        const token = `token-${state.logins}-${randomBytes(4).toString('hex')}`;
        state.validTokens.add(token);
        return json(200, { message: 'token_generated', data: { token }, token_type: 'bearer' });
      }
      if (req.method === 'POST' && req.url === '/api/message/sms/send') {
        const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
        if (!state.validTokens.has(token)) return json(401, { message: 'Expired' });
        // Like a real provider's error, it echoes the number: none of that may be stored.
        if (state.failSends)
          return json(state.failSends, {
            message: `Provider unavailable for ${form.get('mobile_phone') as string}`,
          });
        state.sent.push({
          mobile_phone: form.get('mobile_phone') as string,
          message: form.get('message') as string,
          from: form.get('from') as string,
          token,
        });
        return json(200, {
          id: randomBytes(8).toString('hex'),
          message: 'Waiting for SMS provider',
          status: 'waiting',
        });
      }
      json(404, { message: 'not found' });
    })();
  });
  await new Promise<void>((resolve) => eskiz.listen(0, '127.0.0.1', resolve));
  eskizUrl = `http://127.0.0.1:${(eskiz.address() as AddressInfo).port}/api`;
});

afterAll(async () => {
  for (const services of opened) await services.cache.close();
  await new Promise<void>((resolve) => smtp?.close(resolve));
  await new Promise<void>((resolve) => eskiz?.close(() => resolve()));
  await database?.drop();
});

beforeEach(() => {
  mails.length = 0;
  state.logins = 0;
  state.validTokens.clear();
  state.sent.length = 0;
  state.failSends = null;
});

/** The worker's services with both channels pointed at the local servers. */
const opened: Services[] = [];
function withEnv(env: Record<string, string>): Services {
  const services = testServices(database, undefined, env);
  opened.push(services);
  return services;
}

function configured(): Services {
  return withEnv({
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    SMTP_FROM: 'MedoraAI <noreply@medora.test>',
    ESKIZ_EMAIL: ESKIZ_EMAIL,
    ESKIZ_PASSWORD,
    ESKIZ_FROM: 'MedoraAI',
    ESKIZ_BASE_URL: eskizUrl,
    // Each test's Eskiz token in its own (shared) cache, as several workers would have it.
    ...(process.env.REDIS_URL && { REDIS_URL: process.env.REDIS_URL }),
  });
}

async function notifyUser(services: Services, userId: string, n: Partial<NewNotification> = {}) {
  const [id] = await services.db.transaction().execute((trx) =>
    notify(
      trx,
      {
        workspaceId: null,
        kind: 'payment_approved',
        params: { planCode: 'doctor_monthly', periodEnd: '2027-01-05T19:30:00.000Z' },
        dedupeKey: `payment_approved:${randomBytes(6).toString('hex')}`,
        ...n,
      } as NewNotification,
      [userId],
    ),
  );
  return id!;
}

async function recipient(opts: { locale: 'uz' | 'ru' | 'en'; email: string | null }) {
  const doctor = await factories(database.db).doctor({ locale: opts.locale });
  await database.db
    .updateTable('users')
    .set({ email: opts.email })
    .where('id', '=', doctor.userId)
    .execute();
  return doctor;
}

function deliveries(notificationId: string) {
  return database.db
    .selectFrom('notification_deliveries')
    .select(['channel', 'status', 'attempts', 'last_error', 'sent_at'])
    .where('notification_id', '=', notificationId)
    .orderBy('channel')
    .execute();
}

function runTask(services: Services, notificationId: string, jobId = '1') {
  const task = createTaskList({ services, workerId: 'test:1' })[NOTIFICATION_DELIVER_TASK]!;
  return task({ notificationId }, helpersFor(jobId));
}

describe('notification__deliver', () => {
  it('e-mails and texts the user in their language, with the plan name and Tashkent time', async () => {
    const services = configured();
    const doctor = await recipient({ locale: 'ru', email: 'vrach@example.uz' });
    const id = await notifyUser(services, doctor.userId);
    await runTask(services, id);

    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(['vrach@example.uz']);
    expect(mails[0]!.subject).toBe('Оплата подтверждена');
    // 19:30 UTC is 00:30 the next day in Tashkent (UTC+5); the plan's Russian name.
    expect(mails[0]!.text).toContain('Тариф «Врач (месяц)» действует до 6 января 2027 г. в 00:30');

    expect(state.sent).toHaveLength(1);
    expect(state.sent[0]).toMatchObject({
      mobile_phone: doctor.phone.replace('+', ''),
      from: 'MedoraAI',
      message: 'MedoraAI: оплата подтверждена, тариф до 06.01.2027 00:30.',
    });
    expect(state.logins).toBe(1);
    expect(await deliveries(id)).toMatchObject([
      { channel: 'email', status: 'sent', attempts: 1, last_error: null },
      { channel: 'sms', status: 'sent', attempts: 1, last_error: null },
    ]);
    expect((await deliveries(id)).every((d) => d.sent_at instanceof Date)).toBe(true);
  });

  it('words the e-mail in Uzbek and English for users with those locales', async () => {
    const services = configured();
    const uz = await recipient({ locale: 'uz', email: 'uz@example.uz' });
    const en = await recipient({ locale: 'en', email: 'en@example.uz' });
    const params = { endsAt: '2026-12-05T18:30:00.000Z', daysLeft: 1 } as const;
    await runTask(
      services,
      await notifyUser(services, uz.userId, { kind: 'subscription_expiring', params }),
    );
    await runTask(
      services,
      await notifyUser(services, en.userId, { kind: 'subscription_expiring', params }),
    );
    expect(mails.map((m) => [m.to[0], m.subject])).toEqual([
      ['uz@example.uz', 'Obuna 5-dekabr kuni soat 23:30 da tugaydi'],
      ['en@example.uz', 'Your subscription ends on 5 December at 23:30'],
    ]);
    expect(mails[1]!.text).toContain('5 December 2026 at 23:30');
  });

  it('signs in to Eskiz again once when the token has expired (401), and retries the send', async () => {
    const services = configured();
    const doctor = await recipient({ locale: 'uz', email: null });
    await runTask(services, await notifyUser(services, doctor.userId));
    expect(state.logins).toBe(1);
    // The cached token is reused while valid.
    await runTask(services, await notifyUser(services, doctor.userId));
    expect(state.logins).toBe(1);
    // Eskiz expires it: the next send answers 401, the adapter signs in and sends once more.
    state.validTokens.clear();
    const id = await notifyUser(services, doctor.userId);
    await runTask(services, id);
    expect(state.logins).toBe(2);
    expect(state.sent).toHaveLength(3);
    expect(state.sent[2]!.token).toMatch(/^token-2-/);
    expect(await deliveries(id)).toMatchObject([
      { channel: 'email', status: 'skipped', attempts: 0 },
      { channel: 'sms', status: 'sent', attempts: 1 },
    ]);
  });

  it('a failing SMS does not stop the e-mail; the retry sends only the SMS', async () => {
    const services = configured();
    const doctor = await recipient({ locale: 'en', email: 'doc@example.uz' });
    const id = await notifyUser(services, doctor.userId);
    state.failSends = 503;
    await expect(runTask(services, id)).rejects.toThrow(/delivery failed on sms/);
    expect(mails).toHaveLength(1);
    expect(await deliveries(id)).toMatchObject([
      { channel: 'email', status: 'sent', attempts: 1 },
      {
        channel: 'sms',
        status: 'failed',
        attempts: 1,
        sent_at: null,
      },
    ]);
    // Only the status: the provider's answer may quote the phone or the text.
    expect((await deliveries(id))[1]!.last_error).toBe('Eskiz send failed: HTTP 503');

    // Graphile Worker runs the job again; the provider is back.
    state.failSends = null;
    await runTask(services, id, '1');
    expect(mails).toHaveLength(1);
    expect(state.sent).toHaveLength(1);
    expect(await deliveries(id)).toMatchObject([
      { channel: 'email', status: 'sent', attempts: 1 },
      { channel: 'sms', status: 'sent', attempts: 2, last_error: null },
    ]);
    // And a third run (a duplicate job) sends nothing at all.
    await runTask(services, id, '1');
    expect(mails).toHaveLength(1);
    expect(state.sent).toHaveLength(1);
  });

  it('a failing e-mail does not stop the SMS', async () => {
    const services = withEnv({
      // Nothing listens here: the SMTP connection is refused.
      SMTP_URL: 'smtp://127.0.0.1:1',
      SMTP_FROM: 'MedoraAI <noreply@medora.test>',
      ESKIZ_EMAIL: ESKIZ_EMAIL,
      ESKIZ_PASSWORD,
      ESKIZ_BASE_URL: eskizUrl,
    });
    const doctor = await recipient({ locale: 'uz', email: 'doc@example.uz' });
    const id = await notifyUser(services, doctor.userId);
    await expect(runTask(services, id)).rejects.toThrow(/delivery failed on email/);
    expect(state.sent).toHaveLength(1);
    expect(await deliveries(id)).toMatchObject([
      { channel: 'email', status: 'failed', attempts: 1 },
      { channel: 'sms', status: 'sent', attempts: 1 },
    ]);
  });

  it('skips channels that are not configured, and e-mail for a user without an address', async () => {
    const bare = withEnv({});
    const doctor = await recipient({ locale: 'uz', email: 'doc@example.uz' });
    const id = await notifyUser(bare, doctor.userId);
    await runTask(bare, id);
    expect(await deliveries(id)).toMatchObject([
      { channel: 'email', status: 'skipped', attempts: 0, last_error: 'e-mail not configured' },
      { channel: 'sms', status: 'skipped', attempts: 0, last_error: 'SMS not configured' },
    ]);

    const services = configured();
    const noEmail = await recipient({ locale: 'uz', email: null });
    const id2 = await notifyUser(services, noEmail.userId);
    await runTask(services, id2);
    expect(mails).toHaveLength(0);
    expect(await deliveries(id2)).toMatchObject([
      { channel: 'email', status: 'skipped', last_error: 'no e-mail address' },
      { channel: 'sms', status: 'sent' },
    ]);
  });

  it('delivers notifications the expiry statement wrote directly (no delivery rows yet)', async () => {
    const services = configured();
    const doctor = await factories(database.db).doctor({
      subscription: 'trial_ended',
      locale: 'en',
    });
    await database.db
      .updateTable('users')
      .set({ email: 'late@example.uz' })
      .where('id', '=', doctor.userId)
      .execute();
    await expireSubscriptions(services.db);
    const n = await database.db
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', doctor.userId)
      .executeTakeFirstOrThrow();
    await runTask(services, n.id);
    expect(mails.map((m) => m.subject)).toEqual(['Your subscription has ended']);
  });
});
