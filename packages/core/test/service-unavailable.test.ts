import { describe, expect, it } from 'vitest';
import { isServiceUnavailable } from '../src/errors';

// Which failures answer 503 (an outage a client may retry) rather than 500 (a bug).
const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isServiceUnavailable', () => {
  it('recognises a database that is down, restarting or out of connections', () => {
    for (const err of [
      withCode('ECONNREFUSED'),
      withCode('ECONNRESET'),
      withCode('57P01'), // admin_shutdown: a fast or immediate stop
      withCode('57P03'), // cannot_connect_now: still starting
      withCode('53300'), // too_many_connections
      withCode('08006'), // connection_failure
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
      new AggregateError([withCode('ECONNREFUSED')], 'connect failed'),
      new Error('query failed', { cause: withCode('ECONNREFUSED') }),
    ])
      expect(isServiceUnavailable(err), String(err)).toBe(true);
  });

  it('leaves bugs and refused statements as they are', () => {
    for (const err of [
      new Error('boom'),
      new TypeError("Cannot read properties of undefined (reading 'id')"),
      withCode('23505'), // unique_violation
      withCode('42P01'), // undefined_table
      withCode('ENOENT'),
      'ECONNREFUSED',
      null,
      undefined,
    ])
      expect(isServiceUnavailable(err), String(err)).toBe(false);
  });
});
