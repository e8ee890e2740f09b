import { EventEmitter } from 'node:events';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../src/logger';
import { reportReady, stopOnSignals, type ProcessHost } from '../src/process';

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

describe('under the npm start supervisor', () => {
  // A child of the supervisor has an IPC channel. The test runner's own worker has one too, so
  // the channel is faked on a stand-in for `process` rather than on the real one.
  const host = (channel: object | undefined) => {
    const emitter = new EventEmitter();
    const exitHost = vi.fn();
    return {
      emitter,
      exitHost,
      host: Object.assign(emitter, { channel, exit: exitHost }) as unknown as ProcessHost,
    };
  };

  it('stops once when the supervisor channel closes, and not again on a later disconnect', async () => {
    const { emitter, exitHost, host: h } = host({});
    const { log, logger } = fakeLogger();
    const stop = vi.fn(() => Promise.resolve());
    const signal = stopOnSignals(logger, stop, h);
    emitter.emit('disconnect');
    expect(signal.reason).toBe('supervisor gone');
    expect(log.info).toHaveBeenCalledWith({ reason: 'supervisor gone' }, 'shutting down');
    emitter.emit('disconnect');
    expect(stop).toHaveBeenCalledTimes(1);
    expect(log.warn).not.toHaveBeenCalled();
    await flush();
    expect(exitHost).toHaveBeenCalledWith(0);
    expect(exit).not.toHaveBeenCalled();
  });

  it('without a channel a disconnect event is not a stop request', () => {
    const { emitter, host: h } = host(undefined);
    const stop = vi.fn(() => Promise.resolve());
    const signal = stopOnSignals(fakeLogger().logger, stop, h);
    emitter.emit('disconnect');
    expect(signal.aborted).toBe(false);
    expect(stop).not.toHaveBeenCalled();
  });

  it('reportReady tells a connected supervisor, with the URL', () => {
    const send = vi.fn();
    reportReady({ url: 'http://127.0.0.1:3000' }, { send, connected: true });
    reportReady(undefined, { send, connected: true });
    expect(send.mock.calls).toEqual([
      [{ type: 'ready', url: 'http://127.0.0.1:3000' }],
      [{ type: 'ready' }],
    ]);
  });

  it('reportReady says nothing once the channel is closed, or without one', () => {
    const send = vi.fn();
    reportReady({ url: 'http://127.0.0.1:3000' }, { send, connected: false });
    expect(send).not.toHaveBeenCalled();
    expect(() => reportReady({}, { send: undefined, connected: true })).not.toThrow();
  });
});
