/**
 * The admin Jobs page in a real Chromium: an administrator opens it from the console's
 * navigation, sees the tasks with their schedules and a permanently failed job, and retries it.
 */
import { createDb, type Db } from '@medora/db';
import { addJob } from '@medora/core';
import { factories } from '@medora/core/testing';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  expectNoSeriousA11yViolations,
  launchChromium,
  randomPhone,
  screenshotOnFailure,
  signInAdminFirstTime,
} from './support';

const baseUrl = inject('baseUrl');
const databaseUrl = inject('databaseUrl');

let browser: Browser;
let db: Db;

beforeAll(async () => {
  browser = await launchChromium();
  db = createDb(databaseUrl).db;
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

describe('the admin Jobs page', () => {
  it('lists the tasks and retries a permanently failed job', async () => {
    const admin = await factories(db).admin({ locale: 'en', phone: randomPhone().e164 });
    // A job that used up its only attempt, as Graphile Worker leaves one (its worker never takes
    // such a job again, so it waits on the page until it is retried). Enqueued for later, so the
    // test server's worker does not run it before it is marked failed.
    const job = await addJob(
      db,
      'session__cleanup',
      {},
      {
        maxAttempts: 1,
        runAt: new Date(Date.now() + 3_600_000),
      },
    );
    await sql`update graphile_worker._private_jobs set attempts = 1,
      last_error = 'browser test failure' where id = ${job.id}::bigint`.execute(db);

    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const page = await context.newPage();
    screenshotOnFailure(page, 'admin-jobs');
    await signInAdminFirstTime(page, baseUrl, admin.phone);
    await page.waitForURL((url) => url.pathname === '/admin', { timeout: 20_000 });
    await page.getByRole('link', { name: 'Jobs' }).click();
    await page.getByRole('heading', { level: 1, name: 'Jobs' }).waitFor({ timeout: 20_000 });

    const tasks = page.getByRole('table', { name: 'Tasks' });
    await tasks.waitFor();
    await expect(
      tasks.getByRole('row', { name: /subscription__expire/ }).textContent(),
    ).resolves.toContain('*/15 * * * *');
    await expectNoSeriousA11yViolations(page, 'admin jobs');

    const retry = page.getByRole('button', { name: `Retry job ${job.id} (session__cleanup)` });
    await retry.click();
    await page.getByText('The job is queued to run again.').waitFor();

    const audit = await db
      .selectFrom('audit_log')
      .select(['outcome', 'actor_user_id'])
      .where('action', '=', 'admin.job.retry')
      .where('entity_id', '=', job.id)
      .execute();
    expect(audit).toEqual([{ outcome: 'success', actor_user_id: admin.userId }]);
    await context.close();
  });
});
