import type { AppConfig } from '@medora/core';
import type { ClientConfig } from '@medora/schema';
import type { ServerRouter } from '../app';

/** How long browsers and proxies may reuse the answer: a changed DSN is seen within a minute. */
const MAX_AGE_SECONDS = 60;

/**
 * `GET /api/client-config`: what the web app needs to know before it signs anyone in — today
 * only where browser errors go. Public and the same for everyone (the web DSN is public by
 * design), so it needs no session and may be cached briefly.
 */
export function clientConfigRoute(
  router: ServerRouter,
  config: Pick<AppConfig, 'errorReporting' | 'version'>,
): void {
  const body: ClientConfig = config.errorReporting.webDsn
    ? {
        sentryDsn: config.errorReporting.webDsn,
        environment: config.errorReporting.environment,
        release: config.version,
      }
    : { sentryDsn: null, environment: null, release: null };
  router.get('/api/client-config', (ctx) => {
    ctx.state.route = 'GET /api/client-config';
    ctx.set('Cache-Control', `public, max-age=${MAX_AGE_SECONDS}`);
    ctx.body = body;
  });
}
