import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RefusalLog } from '../src/middleware/refusal-log';
import type { LogLine } from './app-harness';

// The sampling rule on its own, on a fake clock: which refusals get a line, and the summaries.

let lines: LogLine[];
let logger: pino.Logger;

beforeEach(() => {
  vi.useFakeTimers();
  lines = [];
  logger = pino({ level: 'debug' }, { write: (l: string) => lines.push(JSON.parse(l) as LogLine) });
});
afterEach(() => vi.useRealTimers());

const unauthorized = { status: 401, method: 'GET', route: '/trpc/patient.list' };
const full = () => lines.filter((l) => l.msg === 'request refused');
const summaries = () => lines.filter((l) => l.msg === 'requests refused (summary)');

describe('RefusalLog', () => {
  it('logs the first few of a kind per window in full and sums up the rest when it ends', () => {
    const log = new RefusalLog(logger, { perWindow: 2, windowMs: 60_000 });
    for (let i = 0; i < 5; i++) log.record(logger, unauthorized, { path: `/p${i}` });
    log.record(logger, { ...unauthorized, status: 404 }, { path: '/other' });
    expect(full().map((l) => [l.status, l.path])).toEqual([
      [401, '/p0'],
      [401, '/p1'],
      [404, '/other'],
    ]);
    expect(summaries()).toEqual([]);

    vi.advanceTimersByTime(60_000);
    expect(summaries()).toMatchObject([{ ...unauthorized, suppressed: 3, level: 30 }]);
    // A new window: full lines again.
    log.record(logger, unauthorized, { path: '/again' });
    expect(full().at(-1)).toMatchObject({ path: '/again' });
  });

  it('writes what it counted when flushed (at shutdown)', () => {
    const log = new RefusalLog(logger, { perWindow: 1, windowMs: 60_000 });
    for (let i = 0; i < 4; i++) log.record(logger, unauthorized, {});
    log.flush();
    expect(summaries()).toMatchObject([{ suppressed: 3 }]);
    log.flush();
    expect(summaries()).toHaveLength(1);
  });

  it('keeps a bounded number of kinds: beyond it they share one counter', () => {
    const log = new RefusalLog(logger, { perWindow: 1, windowMs: 60_000 });
    for (let i = 0; i < 600; i++) log.record(logger, { ...unauthorized, route: `r${i}` }, {});
    expect(full()).toHaveLength(501);
    log.flush();
    expect(summaries()).toMatchObject([{ route: 'other', suppressed: 99 }]);
  });

  it('writes a line at the level the refusing middleware asked for', () => {
    const log = new RefusalLog(logger);
    log.record(logger, { ...unauthorized, status: 403 }, {}, { level: 'warn' });
    expect(full()).toMatchObject([{ level: 40, status: 403 }]);
  });
});
