import type { Middleware } from 'koa';
import type { AppState } from '../state';

/** Where researchers write (docs/security.md, "Reporting a vulnerability"). */
export const SECURITY_CONTACT = 'mailto:security@medora.uz';
/** RFC 9116 asks for an `Expires` under a year ahead, so a stale file is noticed; it rolls. */
const VALID_DAYS = 180;
const DAY_MS = 24 * 3600 * 1000;

/** `GET /.well-known/security.txt` (RFC 9116): how to report a vulnerability. */
export function securityTxtRoute(now: () => Date = () => new Date()): Middleware<AppState> {
  return (ctx) => {
    ctx.state.route = 'GET /.well-known/security.txt';
    const expires = new Date(now().getTime() + VALID_DAYS * DAY_MS);
    expires.setUTCHours(0, 0, 0, 0);
    ctx.type = 'text/plain; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = [
      `Contact: ${SECURITY_CONTACT}`,
      `Expires: ${expires.toISOString()}`,
      'Preferred-Languages: en, ru, uz',
      '',
    ].join('\n');
  };
}
