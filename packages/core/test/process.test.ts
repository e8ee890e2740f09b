import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../src/logger';
import { stopOnSignals } from '../src/process';

// The handlers are exercised in-process: signals are emitted as events and process.exit is
// stubbed, so nothing leaves this test. The real signals are tested on the server and worker.
const signals = ['SIGTERM', 'SIGINT'] as const;
let before: Map<string, unknown[]>;
const exit = vi.spyOn(process, 'exit');

beforeEach(() => {
  before = new Map(signals.map((s) => [s, process.listeners(s)]));
  exit.mockReset().mockImplementation((() => undefined) as never);
});
afterEach(() => {
  // Only the listeners a test added go; the runner's own stay.
  for (const s of signals)
    for (const l of process.listeners(s)) if (!before.get(s)!.includes(l)) process.off(s, l);
});
afterAll(() => exit.mockRestore());

const fakeLogger = () => {
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  return { log, logger: log as unknown as Logger };
};
const flush = () => new Promise((r) => setImmediate(r));

describe('stopOnSignals', () => {
  it('on SIGTERM aborts the start-up signal, runs stop once and exits 0 when it is done', async () => {
    const { log, logger } = fakeLogger();
    let finish!: () => void;
    const stop = vi.fn(() => new Promise<void>((r) => (finish = r)));
    const signal = stopOnSignals(logger, stop);
    expect(signal.aborted).toBe(false);

    process.emit('SIGTERM');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('SIGTERM');
    expect(log.info).toHaveBeenCalledWith({ reason: 'SIGTERM' }, 'shutting down');
    expect(stop).toHaveBeenCalledTimes(1);
    await flush();
    expect(exit).not.toHaveBeenCalled();
    finish();
    await flush();
    expect(exit).toHaveBeenCalledWith(0);
  });

  it('exits 1 at once on a second stop request', async () => {
    const { log, logger } = fakeLogger();
    const stop = vi.fn(() => new Promise<void>(() => {}));
    stopOnSignals(logger, stop);
    process.emit('SIGINT');
    expect(exit).not.toHaveBeenCalled();
    process.emit('SIGTERM');
    expect(log.warn).toHaveBeenCalledWith(
      { reason: 'SIGTERM' },
      'second stop request: exiting immediately',
    );
    expect(exit).toHaveBeenCalledWith(1);
    await flush();
  });

  it('exits 1 and logs when stopping fails', async () => {
    const { log, logger } = fakeLogger();
    const err = new Error('drain failed');
    stopOnSignals(logger, () => Promise.reject(err));
    process.emit('SIGINT');
    await flush();
    expect(log.error).toHaveBeenCalledWith({ err }, 'shutdown failed');
    expect(exit).toHaveBeenCalledWith(1);
    expect(exit).not.toHaveBeenCalledWith(0);
  });
});
