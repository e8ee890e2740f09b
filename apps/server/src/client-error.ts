import type { Socket } from 'node:net';
import type { AppErrorCode } from '@medora/schema';
import { HSTS_MAX_AGE_SECONDS, PERMISSIONS_POLICY } from './middleware/security';

/** What Node's HTTP parser reports for a request too large or too malformed to reach Koa. */
interface ParserError extends Error {
  code?: string;
}

const HSTS = `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`;

/**
 * The answer to a request Node's parser refused before the app saw it (oversized headers,
 * a broken request line). Node's own answer is a bare `400 Bad Request` without any of the
 * app's headers; this one carries the same browser rules as every other answer, with the CSP
 * of a file download (nothing on it may render or run), and a body in the app's error format.
 */
export function clientErrorAnswer(err: ParserError, opts: { isProduction: boolean }): string {
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  // The app's own codes (the client translates them); no request id: none was assigned.
  const code: AppErrorCode = tooLarge ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED';
  const body = JSON.stringify({ error: { code } });
  const headers = [
    `HTTP/1.1 ${status}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'; sandbox",
    'X-Frame-Options: DENY',
    'X-Content-Type-Options: nosniff',
    'X-XSS-Protection: 0',
    'Referrer-Policy: strict-origin-when-cross-origin',
    `Permissions-Policy: ${PERMISSIONS_POLICY}`,
    'Cross-Origin-Opener-Policy: same-origin',
    'Cross-Origin-Resource-Policy: same-origin',
    ...(opts.isProduction ? [`Strict-Transport-Security: ${HSTS}`] : []),
  ];
  return `${headers.join('\r\n')}\r\n\r\n${body}`;
}

/** `server.on('clientError', …)`: answer when the socket can still take it, else just close. */
export function onClientError(opts: { isProduction: boolean }) {
  return (err: ParserError, socket: Socket): void => {
    // A reset or a timeout has nobody left to read an answer.
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorAnswer(err, opts));
  };
}
