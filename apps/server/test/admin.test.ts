import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServices, loadConfig } from '@medora/core';
import pino from 'pino';
import {
  createTestDatabase,
  enrolTotp,
  factories,
  signInDirectly,
  type TestDatabase,
} from '@medora/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/server';
import { testEnv } from './start-test-server';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let database: TestDatabase;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = await mkdtemp(path.join(tmpdir(), 'medora-admin-test-'));
});
afterAll(async () => {
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

const admins = () =>
  database.db
    .selectFrom('users')
    .select(['phone', 'name'])
    .where('role', '=', 'admin')
    .orderBy('phone')
    .execute();

async function cli(
  args: string[],
  stdin: string,
  env: Record<string, string> = {},
  // `npm run cli` is `node scripts/start.mjs cli`: the start script's environment, then cli.ts.
  command = ['--import', 'tsx', 'apps/server/src/cli.ts'],
) {
  const child = spawn(process.execPath, [...command, ...args], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH ?? '',
      ...testEnv({ DATABASE_URL: database.url, DATA_DIR: dataDir }),
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(stdin);
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('CLI create-admin', () => {
  it('creates an admin from a piped password, and reports an existing one on the second run', async () => {
    const first = await cli(
      ['create-admin', '--phone', '+998 90 123 45 67', '--name', 'Ali Valiyev'],
      'a-long-admin-password\n',
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/created/i);
    expect(await admins()).toEqual([{ phone: '+998901234567', name: 'Ali Valiyev' }]);

    const second = await cli(
      ['create-admin', '--phone', '+998901234567', '--name', 'Ali Valiyev'],
      'a-long-admin-password\n',
    );
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/already exists/i);
    expect(await admins()).toHaveLength(1);
  });

  it('prints field errors and exits 2 on bad input; never reads the password from argv', async () => {
    const bad = await cli(['create-admin', '--phone', '12345', '--name', 'Ali'], 'short\n');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('phone: phone.invalid');
    expect(bad.stderr).toMatch(/password: password\.too_short/);

    const argv = await cli(
      ['create-admin', '--phone', '+998901234568', '--name', 'Ali', '--password', 'x'],
      '',
    );
    expect(argv.code).toBe(2);
    expect(argv.stderr).toMatch(/Unknown option '--password'/);
  });
});

describe('npm run cli', () => {
  it('runs the command through the start script, with its stdin and its exit code', async () => {
    const viaStart = ['scripts/start.mjs', 'cli'];
    const made = await cli(
      ['create-admin', '--phone', '+998 90 123 45 69', '--name', 'Vali Aliyev'],
      'another-admin-password\n',
      {},
      viaStart,
    );
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/created/i);
    expect(await admins()).toContainEqual({ phone: '+998901234569', name: 'Vali Aliyev' });

    const usage = await cli(['no-such-command'], '', {}, viaStart);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/unknown command: no-such-command/);
  });
});

describe('CLI reset-totp', () => {
  it("forgets an admin's authenticator and recovery codes and ends their sessions", async () => {
    const services = createServices({
      config: loadConfig(testEnv({ DATABASE_URL: database.url, DATA_DIR: dataDir })),
      db: database.db,
      logger: pino({ level: 'silent' }),
    });
    try {
      const make = factories(database.db);
      const admin = await make.admin();
      const other = await make.admin();
      await enrolTotp(services, admin);
      await enrolTotp(services, other);
      await database.db
        .insertInto('admin_recovery_codes')
        .values({ user_id: admin.userId, code_hash: 'h1' })
        .execute();
      const session = await signInDirectly(services, admin);
      const otherSession = await signInDirectly(services, other);

      const reset = await cli(['reset-totp', '--phone', admin.phone], '');
      expect(reset.code, reset.stderr).toBe(0);
      expect(reset.stdout).toMatch(/reset/);

      const users = await database.db
        .selectFrom('users')
        .select(['id', 'totp_secret', 'totp_enrolled_at'])
        .where('id', 'in', [admin.userId, other.userId])
        .execute();
      const byId = new Map(users.map((u) => [u.id, u]));
      expect(byId.get(admin.userId)).toMatchObject({ totp_secret: null, totp_enrolled_at: null });
      expect(byId.get(other.userId)?.totp_enrolled_at).not.toBeNull();
      const codes = await database.db
        .selectFrom('admin_recovery_codes')
        .select('code_hash')
        .where('user_id', '=', admin.userId)
        .execute();
      expect(codes).toEqual([]);
      await expect(services.sessions.authenticate(session.accessToken)).rejects.toMatchObject({
        code: 'SESSION_EXPIRED',
      });
      await expect(services.sessions.authenticate(otherSession.accessToken)).resolves.toBeTruthy();
      const audit = await database.db
        .selectFrom('audit_log')
        .select(['action', 'actor_role', 'entity_id'])
        .where('action', '=', 'auth.totp_reset')
        .execute();
      expect(audit).toEqual([
        { action: 'auth.totp_reset', actor_role: 'system', entity_id: admin.userId },
      ]);

      const doctor = await make.doctor();
      const notAdmin = await cli(['reset-totp', '--phone', doctor.phone], '');
      expect(notAdmin.code).toBe(1);
      expect(notAdmin.stderr).toMatch(/No administrator/);
      const usage = await cli(['reset-totp'], '');
      expect(usage.code).toBe(2);
    } finally {
      await services.cache.close();
    }
  });
});

describe('admin bootstrap from the environment', () => {
  it('creates exactly one admin on first start, and none when one exists', async () => {
    const fresh = await createTestDatabase();
    try {
      const env = {
        DATABASE_URL: fresh.url,
        DATA_DIR: dataDir,
        ADMIN_PHONE: '+998935550001',
        ADMIN_PASSWORD: 'bootstrap-password-1',
        ADMIN_NAME: 'Boot Admin',
      };
      const first = await startServer({ config: loadConfig(testEnv(env)) });
      await first.close();
      // A second start, even with another phone, must not add a second administrator.
      const second = await startServer({
        config: loadConfig(testEnv({ ...env, ADMIN_PHONE: '+998935550002' })),
      });
      await second.close();
      const rows = await fresh.db
        .selectFrom('users')
        .select(['phone', 'name', 'role'])
        .where('role', '=', 'admin')
        .execute();
      expect(rows).toEqual([{ phone: '+998935550001', name: 'Boot Admin', role: 'admin' }]);
    } finally {
      await fresh.drop();
    }
  });
});

describe('CLI demo', () => {
  it('creates a sample doctor with a dozen patients and a completed analysis per example', async () => {
    const bystander = await database.db
      .selectFrom('workspaces')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const run = await cli(['demo', '--locale', 'ru'], '');
    expect(run.code, run.stderr).toBe(0);
    const phone = /phone:\s+(\+998\d{9})/.exec(run.stdout)?.[1];
    const password = /password:\s+(\S+)/.exec(run.stdout)?.[1];
    expect(phone).toBeDefined();
    expect(password!.length).toBeGreaterThanOrEqual(12);

    const user = await database.db
      .selectFrom('users as u')
      .innerJoin('workspace_members as m', 'm.user_id', 'u.id')
      .select(['u.id', 'u.locale', 'm.workspace_id'])
      .where('u.phone', '=', phone!)
      .executeTakeFirstOrThrow();
    expect(user.locale).toBe('ru');
    const patients = await database.db
      .selectFrom('patients')
      .select(['notes'])
      .where('workspace_id', '=', user.workspace_id)
      .execute();
    expect(patients).toHaveLength(12);
    // Every sample patient says, in three languages, that it is not a real person.
    for (const p of patients) expect(p.notes).toMatch(/Sample record, not a real person/);
    const analyses = await database.db
      .selectFrom('analyses')
      .select(['status', 'report'])
      .where('workspace_id', '=', user.workspace_id)
      .execute();
    const examples = (await import('@medora/clinical/examples', { with: { type: 'json' } }))
      .default as unknown[];
    expect(analyses).toHaveLength(examples.length);
    expect(analyses.every((a) => a.status === 'completed')).toBe(true);
    expect(analyses.every((a) => (a.report as { locale: string }).locale === 'ru')).toBe(true);
    // Nothing else was created: one new workspace, the demo's.
    const after = await database.db
      .selectFrom('workspaces')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(bystander.n) + 1);

    // The printed phone and password sign in.
    const services = createServices({
      config: loadConfig(testEnv({ DATABASE_URL: database.url, DATA_DIR: dataDir })),
      db: database.db,
      logger: pino({ level: 'silent' }),
    });
    const signedIn = await services.credentials.login(
      { ip: '203.0.113.9', userAgent: 'vitest', requestId: null },
      { phone: phone!, password: password! },
    );
    // A doctor (the demo account) gets tokens straight away, no second factor.
    if (signedIn.kind !== 'signed_in') throw new Error('expected a doctor sign-in');
    expect(signedIn.issued.user.id).toBe(user.id);
  });

  it('refuses a production deployment unless forced', async () => {
    const refused = await cli(['demo'], '', {
      NODE_ENV: 'production',
      TOKEN_SECRET: 'a-production-secret-that-is-long-enough-0123456789',
    });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--force/);
  });
});
