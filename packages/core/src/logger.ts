import path from 'node:path';
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

type LoggerConfig = Pick<AppConfig, 'logLevel' | 'isProduction' | 'version' | 'logDir'>;

/**
 * JSON logs to stdout; with LOG_DIR also to `<name>.log` (the configured level) and
 * `<name>.error.log` (errors only), each rotated at 10 MB keeping 5 files, as the spec asks.
 */
export function createLogger(config: LoggerConfig, name: string): Logger {
  const options: pino.LoggerOptions = {
    name,
    level: config.logLevel,
    base: { service: name, version: config.version },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (!config.logDir || config.logLevel === 'silent') return pino(options);
  const rolling = (file: string, level: string): pino.TransportTargetOptions => ({
    target: 'pino-roll',
    level,
    options: {
      file: path.resolve(config.logDir!, file),
      size: '10m',
      limit: { count: 5 },
      mkdir: true,
    },
  });
  const transport = pino.transport<Record<string, unknown>>({
    targets: [
      { target: 'pino/file', level: config.logLevel, options: { destination: 1 } },
      rolling(`${name}.log`, config.logLevel),
      rolling(`${name}.error.log`, 'error'),
    ],
  });
  return pino(options, transport);
}
