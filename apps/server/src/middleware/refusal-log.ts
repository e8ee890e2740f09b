import type { Logger } from '@medora/core';

export interface RefusalLogOptions {
  /** Full lines per kind of refusal and window; the rest are only counted. */
  perWindow?: number;
  windowMs?: number;
}

/** What a refusal is grouped by: few distinct values, never anything the client chose freely. */
export interface RefusalKind {
  status: number;
  method: string;
  route: string;
  reason?: string;
}

interface Window {
  kind: RefusalKind;
  startedAt: number;
  logged: number;
  suppressed: number;
}

// Beyond this many kinds in one window, new kinds share one counter (the map stays small).
const MAX_KINDS = 500;
const OVERFLOW_KIND: RefusalKind = { status: 0, method: '*', route: 'other', reason: 'other' };

/**
 * Rejected requests (4xx) are worth a log line each while they are few: a mistyped token, a
 * stale page. A flood of them (a scanner, a broken client in a loop) must not fill the disk or
 * bury everything else, so per kind (status, method, route, reason) the first `perWindow` of each
 * window are logged in full and the rest only counted, in one summary line per kind when the
 * window ends (or the server stops).
 */
export class RefusalLog {
  private readonly perWindow: number;
  private readonly windowMs: number;
  private readonly windows = new Map<string, Window>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    opts: RefusalLogOptions = {},
  ) {
    this.perWindow = opts.perWindow ?? 20;
    this.windowMs = opts.windowMs ?? 60_000;
  }

  /** Logs the refusal on `log` (the request's logger) unless its kind is over its share. */
  record(
    log: Logger,
    kind: RefusalKind,
    fields: Record<string, unknown>,
    opts: { level?: 'info' | 'warn'; message?: string } = {},
  ): void {
    const now = Date.now();
    let key = `${kind.status} ${kind.method} ${kind.route} ${kind.reason ?? ''}`;
    let window = this.windows.get(key);
    if (!window && this.windows.size >= MAX_KINDS) {
      key = 'overflow';
      kind = OVERFLOW_KIND;
      window = this.windows.get(key);
    }
    if (window && now - window.startedAt >= this.windowMs) {
      this.summarise(window);
      window = undefined;
    }
    if (!window) {
      window = { kind, startedAt: now, logged: 0, suppressed: 0 };
      this.windows.set(key, window);
    }
    if (window.logged < this.perWindow) {
      window.logged += 1;
      log[opts.level ?? 'info']({ ...kind, ...fields }, opts.message ?? 'request refused');
      return;
    }
    window.suppressed += 1;
    // A flood that stops still gets its summary, without a timer running while all is quiet.
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.windowMs).unref();
  }

  /** Writes the summaries of everything counted so far and starts every window afresh. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const window of this.windows.values()) this.summarise(window);
    this.windows.clear();
  }

  private summarise(window: Window): void {
    if (window.suppressed === 0) return;
    this.logger.info(
      {
        ...window.kind,
        suppressed: window.suppressed,
        since: new Date(window.startedAt).toISOString(),
      },
      'requests refused (summary)',
    );
  }
}
