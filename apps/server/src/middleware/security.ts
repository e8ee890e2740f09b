import helmet from 'koa-helmet';
import type { Middleware } from 'koa';
import type { AppState } from '../state';

/** One year: what browsers' HSTS preload rules and the HTTP Observatory ask for. */
export const HSTS_MAX_AGE_SECONDS = 31_536_000;

/**
 * Powerful browser features no page of the app uses, switched off for this origin and anything
 * it might frame. Photos of documents come through `<input type="file" capture>`, which opens
 * the device's own camera app and needs no `camera` permission. `clipboard-write` stays at its
 * default (this origin only): the second-factor page copies recovery codes. Only features
 * Chromium recognises: an unknown one is a console warning on every page.
 */
export const PERMISSIONS_POLICY = [
  'accelerometer',
  'autoplay',
  'browsing-topics',
  'camera',
  'display-capture',
  'encrypted-media',
  'geolocation',
  'gyroscope',
  'hid',
  'idle-detection',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'publickey-credentials-get',
  'screen-wake-lock',
  'serial',
  'usb',
  'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

/**
 * Strict headers on every response. The SPA is built by Vite into same-origin files, so no
 * inline script or style is needed. `X-XSS-Protection: 0` on purpose: the old browser filter is
 * gone and could be abused; the CSP is the defence (current OWASP advice).
 */
export function securityHeaders(opts: {
  isProduction: boolean;
  /** The browser's error-tracking DSN (SENTRY_WEB_DSN): its origin may be connected to. */
  errorReportDsn?: string | null;
}): Middleware<AppState> {
  const reportOrigin = opts.errorReportDsn ? new URL(opts.errorReportDsn).origin : null;
  const helmetHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        // The error tracker's origin only when a web DSN is set: nothing else leaves the page.
        connectSrc: reportOrigin ? ["'self'", reportOrigin] : ["'self'"],
        fontSrc: ["'self'"],
        // PDF attachments are previewed from a blob: URL of bytes fetched with the bearer token
        // (images need `img-src blob:`, above). No other page may be framed.
        frameSrc: ['blob:'],
        // The service worker (offline app shell) and the web app manifest, from this origin only.
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
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
    // Nothing of ours is meant to be opened by, or embedded in, another site's page.
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    xPoweredBy: true,
    // Production only, and sent on every response there: browsers ignore HSTS received over
    // plain http (RFC 6797 §8.1), so it takes effect exactly where the app is reached over
    // https — behind the TLS proxy whether or not TRUST_PROXY is set. Not `preload`: that is
    // a commitment for the whole domain an operator makes on purpose.
    strictTransportSecurity: opts.isProduction
      ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true }
      : false,
  }) as Middleware<AppState>;
  return async (ctx, next) => {
    ctx.set('Permissions-Policy', PERMISSIONS_POLICY);
    await helmetHeaders(ctx, next);
  };
}

/** A DNS name, IPv4 or bracketed IPv6 address, with an optional port: nothing else. */
const HOST_HEADER =
  /^(?:\[[0-9a-f:.]{2,45}\]|[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*)(?::\d{1,5})?$/i;

/** The request's own Host header when it is a plausible host[:port], else null. */
export function plausibleHost(header: string): string | null {
  if (header.length > 255 || !HOST_HEADER.test(header)) return null;
  const port = /:(\d+)$/.exec(header)?.[1];
  return port === undefined || Number(port) <= 65_535 ? header : null;
}

/**
 * Behind a TLS-terminating proxy (TRUST_PROXY=true) in production, a request that reached the
 * proxy over plain http is sent to https. Requests that did not come through the proxy (no
 * X-Forwarded-Proto, e.g. a container health check) are served as they are.
 *
 * The target is built from the Host header, never X-Forwarded-Host (which `ctx.host` would
 * honour under a trusted proxy): a proxy passing a client's X-Forwarded-Host through would
 * otherwise make this an open redirect. The path comes from the parsed URL, so an absolute-form
 * request target cannot smuggle another origin in either.
 */
export function httpsRedirect(opts: { enabled: boolean }): Middleware<AppState> {
  return async (ctx, next) => {
    if (
      opts.enabled &&
      ctx.get('x-forwarded-proto') &&
      ctx.protocol === 'http' &&
      !ctx.path.startsWith('/health')
    ) {
      const host = plausibleHost(ctx.get('host'));
      if (!host || !ctx.path.startsWith('/')) ctx.throw(400);
      ctx.status = 308;
      ctx.redirect(`https://${host}${ctx.path}${ctx.search}`);
      return;
    }
    await next();
  };
}
