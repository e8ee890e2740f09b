// When `npm start` must (re)build the web app. Plain Node, no dependencies: it runs before
// anything is installed or built.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Directories never scanned: build output and installed packages are not sources. */
const SKIPPED = new Set(['dist', 'node_modules']);

/**
 * The newest modification time (ms) of any file under `dir`, skipping directories named in
 * SKIPPED at any depth and symbolic links; 0 when there is no such file or no such directory.
 * @param {string} dir
 * @returns {number}
 */
export function newestMtimeMs(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let newest = 0;
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) newest = Math.max(newest, newestMtimeMs(full));
    } else if (entry.isFile()) {
      try {
        newest = Math.max(newest, statSync(full).mtimeMs);
      } catch {
        // removed while scanning
      }
    }
  }
  return newest;
}

/**
 * Why the built web app under `root` is out of date, or null when it is current: it was never
 * built, or a file of the web app (outside dist and node_modules) or of the shared schema it
 * bundles changed after the build (e.g. after `git pull`).
 * @param {string} root the repository root
 * @returns {string | null}
 */
export function webBuildReason(root) {
  let builtAt;
  try {
    builtAt = statSync(path.join(root, 'apps/web/dist/index.html')).mtimeMs;
  } catch {
    return 'first start';
  }
  const newest = Math.max(
    newestMtimeMs(path.join(root, 'apps/web')),
    newestMtimeMs(path.join(root, 'packages/schema/src')),
  );
  return newest > builtAt ? 'sources changed since the last build' : null;
}
