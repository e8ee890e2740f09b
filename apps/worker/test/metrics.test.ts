import { addJob } from '@medora/core';
import { createTestDatabase, freePort, type TestDatabase } from '@medora/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../src/worker';
import { testServices } from './support';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

describe('worker metrics', () => {
  it('a job the worker runs is counted on WORKER_METRICS_PORT, for the METRICS_TOKEN bearer only', async () => {
    const port = await freePort();
    const token = 'worker-metrics-token-0123456789';
    const services = testServices(database, undefined, {
      WORKER_METRICS_PORT: String(port),
      METRICS_TOKEN: token,
    });
    const worker = await startWorker({ services, pool: database.pool, workerId: 'metrics:1' });
    try {
      const job = await addJob(database.db, 'usage__rollover', {});
      let run;
      for (let i = 0; i < 100 && !run; i++) {
        run = await database.db
          .selectFrom('job_runs')
          .select(['outcome', 'job_id'])
          .where('task', '=', 'usage__rollover')
          .executeTakeFirst();
        if (!run) await new Promise((r) => setTimeout(r, 100));
      }
      expect(run).toEqual({ outcome: 'success', job_id: job.id });

      const url = `http://127.0.0.1:${port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('medora_job_runs_total{task="usage__rollover",outcome="success"} 1');
      expect(text).toContain('medora_job_run_duration_seconds_bucket');
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      await worker.stop();
    }
    // Stopped with the worker.
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow();
  });
});
