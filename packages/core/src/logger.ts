import pino, { type Logger } from 'pino';
import type { AppConfig } from './config';

export type { Logger };

// Secrets and personal data never reach the logs, whatever a call site passes.
const REDACT = [
  'password',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.accessToken',
  '*.refreshToken',
  '*.token',
];

export function createLogger(
  config: Pick<AppConfig, 'logLevel' | 'isProduction' | 'version'>,
  name: string,
): Logger {
  return pino({
    name,
    level: config.logLevel,
    base: { service: name, version: config.version },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
