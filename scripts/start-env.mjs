// The environment `scripts/start.mjs` gives every process it starts. Plain Node, no dependencies.
import path from 'node:path';

/**
 * `npm start`, its parts and `npm run cli` agree on where the data lives and which embedded
 * database to use, wherever they are typed. The defaults are the configuration's own
 * (packages/core/src/config.ts), made explicit so the supervisor checks the very ports its
 * children will use. A person at a terminal (`interactive`, outside production) gets info-level
 * logs unless LOG_LEVEL says otherwise; the children pretty-print them (LOG_FORMAT=auto).
 * @param {NodeJS.ProcessEnv} source
 * @param {{ root: string, interactive: boolean }} opts
 * @returns {NodeJS.ProcessEnv}
 */
export function childEnv(source, { root, interactive }) {
  const env = { ...source };
  // Relative to the checkout, not to the directory the command was typed in.
  env.DATA_DIR = path.resolve(root, source.DATA_DIR || '.data');
  env.PORT ||= '3000';
  env.EMBEDDED_PG_PORT ||= '54329';
  if (interactive && env.NODE_ENV !== 'production') env.LOG_LEVEL ||= 'info';
  return env;
}
