import { createPool, migrateDown, migrateToLatest } from '@medora/db';
import { createTestDatabase, type TestDatabase } from '@medora/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countOtherConnections,
  waitForOtherConnections,
  listHeartbeats,
  listPendingMigrations,
  probeDatabase,
  recordHeartbeat,
} from '../src/index';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

describe('system queries behind the health check and the heartbeat', () => {
  it('probeDatabase reports no heartbeat, then the newest beat by the database clock', async () => {
    const before = await probeDatabase(database.db);
    expect(before.lastHeartbeatAt).toBeNull();
    expect(Math.abs(before.now.getTime() - Date.now())).toBeLessThan(60_000);

    await recordHeartbeat(database.db, { workerId: 'a:1', version: '1' });
    await new Promise((r) => setTimeout(r, 20));
    await recordHeartbeat(database.db, { workerId: 'b:2', version: '1' });
    const after = await probeDatabase(database.db);
    const beats = await listHeartbeats(database.db);
    expect(beats.map((b) => b.workerId)).toEqual(['b:2', 'a:1']);
    expect(after.lastHeartbeatAt).toEqual(beats[0]!.beatAt);
    expect(after.now.getTime()).toBeGreaterThanOrEqual(after.lastHeartbeatAt!.getTime());
  });

  it('recordHeartbeat keeps one row per worker and updates its version', async () => {
    await recordHeartbeat(database.db, { workerId: 'a:1', version: '2' });
    const rows = (await listHeartbeats(database.db)).filter((b) => b.workerId === 'a:1');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.version).toBe('2');
  });

  it('listPendingMigrations names what is not applied yet, and nothing once migrated', async () => {
    const behind = await createTestDatabase();
    try {
      const [undone] = await migrateDown(behind.db);
      expect(await listPendingMigrations(behind.db)).toEqual([undone]);
      await migrateToLatest(behind.db);
      expect(await listPendingMigrations(behind.db)).toEqual([]);
    } finally {
      await behind.drop();
    }
  });

  it('probeDatabase throws when the database does not answer', async () => {
    const gone = await createTestDatabase();
    await gone.drop();
    await expect(probeDatabase(gone.db)).rejects.toThrow();
  });
});

describe('other clients of the database', () => {
  it('counts connections of other programs and waits for them to leave', async () => {
    // The test's own pool is named "medora"; a second program connects as "medora-worker".
    await database.db.selectFrom('worker_heartbeats').select('worker_id').execute();
    expect(await countOtherConnections(database.db, 'medora')).toBe(0);

    const other = createPool(database.url, { max: 1, applicationName: 'medora-worker' });
    const client = await other.connect();
    expect(await countOtherConnections(database.db, 'medora')).toBe(1);
    expect(await waitForOtherConnections(database.db, 'medora', 300)).toBe(false);

    setTimeout(() => {
      client.release();
      void other.end();
    }, 200);
    expect(await waitForOtherConnections(database.db, 'medora', 5_000)).toBe(true);
    expect(await countOtherConnections(database.db, 'medora')).toBe(0);
  });
});
