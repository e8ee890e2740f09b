import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Each chunk Node reads off a socket is a copy outside the V8 heap that only a collection of the
 * young generation frees, and a streamed upload allocates too little on the heap to cause one:
 * ten parallel 10 MB uploads held ~32 MB of such garbage before V8 collected it on its own
 * (tooling/bench, `patients`). Collecting the young generation after every few MiB of upload
 * body (a scavenge of a nearly empty young generation: well under a millisecond) lets the
 * allocator reuse those buffers instead, so the process grows by little more than the bytes in
 * flight.
 *
 * `gc` is taken from a fresh context after enabling it at run time rather than with
 * `--expose-gc`, which would put a global `gc` in front of every module in the process.
 */
const exposedAlready = typeof (globalThis as { gc?: unknown }).gc === 'function';
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as (options: { type: 'minor' }) => void;
if (!exposedAlready) setFlagsFromString('--no-expose-gc');

export const UPLOAD_BYTES_PER_COLLECTION = 4 * 1024 * 1024;
let bytesSinceCollection = 0;

/** Counts body bytes received for an upload; collects the young generation every few MiB. */
export function uploadBytesReceived(bytes: number): void {
  bytesSinceCollection += bytes;
  if (bytesSinceCollection < UPLOAD_BYTES_PER_COLLECTION) return;
  bytesSinceCollection = 0;
  collect({ type: 'minor' });
}
