import { Writable } from 'node:stream';
import type { Job } from 'graphile-worker';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { graphileLogger } from '../src/worker';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

const job = {
  id: '7',
  task_identifier: 'session__cleanup',
  attempts: 1,
  max_attempts: 3,
  payload: { patientName: 'Dilnoza Karimova' },
} as unknown as Job;

describe("Graphile Worker's log lines", () => {
  it('name the job without its payload; a success is debug, a failure keeps its level', () => {
    const { logger, lines } = capture();
    const log = graphileLogger(logger).scope({ label: 'worker' });
    log.info('Completed task 7 with success', { job, success: true });
    log.error('Failed task 7', { job, success: false });
    log.info('Worker connected');

    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [20, 'Completed task 7 with success'],
      [50, 'Failed task 7'],
      [30, 'Worker connected'],
    ]);
    expect(lines[0]!.job).toEqual({
      id: '7',
      task: 'session__cleanup',
      attempts: 1,
      maxAttempts: 3,
    });
    expect(lines[0]!.graphile).toEqual({ label: 'worker' });
    expect(JSON.stringify(lines)).not.toContain('Dilnoza');
  });
});
