import helmet from 'koa-helmet';
import type { Middleware } from 'koa';
import type { AppState } from '../state';

const HALF_YEAR_SECONDS = 15_552_000;

/**
 * Strict headers on every response. The SPA is built by Vite into same-origin files, so no
 * inline script or style is needed. `X-XSS-Protection: 0` on purpose: the old browser filter is
 * gone and could be abused; the CSP is the defence (current OWASP advice).
 */
export function securityHeaders(opts: { isProduction: boolean }): Middleware<AppState> {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // Only behind HTTPS: on plain-http localhost it would break the page.
        ...(opts.isProduction ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    xContentTypeOptions: true,
    xXssProtection: true,
    strictTransportSecurity: opts.isProduction
      ? { maxAge: HALF_YEAR_SECONDS, includeSubDomains: true }
      : false,
  }) as Middleware<AppState>;
}

/**
 * Behind a TLS-terminating proxy (TRUST_PROXY=true) in production, a request that reached the
 * proxy over plain http is sent to https. Requests that did not come through the proxy (no
 * X-Forwarded-Proto, e.g. a container health check) are served as they are.
 */
export function httpsRedirect(opts: { enabled: boolean }): Middleware<AppState> {
  return async (ctx, next) => {
    if (
      opts.enabled &&
      ctx.get('x-forwarded-proto') &&
      ctx.protocol === 'http' &&
      !ctx.path.startsWith('/health')
    ) {
      ctx.status = 308;
      ctx.redirect(`https://${ctx.host}${ctx.originalUrl}`);
      return;
    }
    await next();
  };
}
