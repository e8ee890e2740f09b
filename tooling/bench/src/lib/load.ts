/** autocannon over loopback, with percentiles taken from every response's own time. */
import autocannon from 'autocannon';

/** Nearest-rank percentile of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (!samples.length) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[at]! * 100) / 100;
}

export interface LoadRun {
  connections: number;
  seconds: number;
  requests: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  /** Socket errors, timeouts and non-2xx answers. */
  errors: number;
  non2xx: number;
}

export function rawLoad(
  opts: autocannon.Options,
): Promise<{ result: autocannon.Result; times: number[] }> {
  const times: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (err: Error | null, result) =>
      err ? reject(err) : resolve({ result, times }),
    );
    instance.on('response', (_client, _status, _bytes, ms: number) => times.push(ms));
  });
}

/**
 * One bounded load run: `paths` are requested in turn on every connection (a weighted mix is a
 * list with repetitions), all GET with the same headers; or `requests`, as autocannon takes them.
 */
export async function load(opts: {
  base: string;
  paths?: string[];
  requests?: autocannon.Request[];
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
}): Promise<LoadRun> {
  const headers = opts.headers ?? {};
  const { result, times } = await rawLoad({
    url: opts.base,
    connections: opts.connections,
    duration: opts.seconds,
    headers,
    requests: opts.requests ?? (opts.paths ?? []).map((p) => ({ method: 'GET', path: p, headers })),
  });
  return {
    connections: opts.connections,
    seconds: opts.seconds,
    requests: result.requests.total,
    reqPerSec: Math.round(result.requests.total / opts.seconds),
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    errors: result.errors + result.timeouts + result.non2xx,
    non2xx: result.non2xx,
  };
}
