/**
 * The upload path collects the young generation every few MiB of body, so the socket chunks it
 * has finished with are freed while the bytes still flow (tooling/bench `patients` measures the
 * memory it saves; this holds the mechanism).
 */
import { PerformanceObserver, performance, constants } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { UPLOAD_BYTES_PER_COLLECTION, uploadBytesReceived } from '../src/lib/upload-memory';

/** Minor collections that started while `run` ran (nothing in `run` allocates on its own). */
async function minorCollectionsDuring(run: () => void): Promise<number> {
  const starts: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as unknown as { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) starts.push(entry.startTime);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const from = performance.now();
  run();
  const to = performance.now();
  // GC entries are delivered asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  return starts.filter((t) => t >= from && t <= to).length;
}

describe('upload memory', () => {
  it('collects the young generation once per few MiB of upload body, not per chunk', async () => {
    const chunk = 64 * 1024;
    const chunksPerCollection = UPLOAD_BYTES_PER_COLLECTION / chunk;
    // Start from a fresh count: the first collection may come early.
    expect(
      await minorCollectionsDuring(() => uploadBytesReceived(UPLOAD_BYTES_PER_COLLECTION)),
    ).toBe(1);
    const threeCollections = await minorCollectionsDuring(() => {
      for (let i = 0; i < 3 * chunksPerCollection; i += 1) uploadBytesReceived(chunk);
    });
    expect(threeCollections).toBe(3);
    const none = await minorCollectionsDuring(() => {
      for (let i = 0; i < chunksPerCollection - 1; i += 1) uploadBytesReceived(chunk);
    });
    expect(none).toBe(0);
  });
});
