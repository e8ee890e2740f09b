import { createRequire } from 'node:module';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
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
  // Notification channels: an env dump or a config section must not show them.
  '*.SMTP_URL',
  '*.ESKIZ_PASSWORD',
];

type LoggerConfig = Pick<AppConfig, 'logLevel' | 'isProduction' | 'version' | 'logDir'> &
  Partial<Pick<AppConfig, 'logFormat'>>;

/**
 * `auto` is pretty only for a person watching: an interactive terminal outside production.
 * Anything that collects logs (a pipe, a file, a container runtime) gets JSON.
 */
export function resolveLogFormat(
  config: Pick<LoggerConfig, 'logFormat' | 'isProduction'>,
  isTTY: boolean = process.stdout.isTTY === true,
): 'json' | 'pretty' {
  const format = config.logFormat ?? 'auto';
  if (format !== 'auto') return format;
  return isTTY && !config.isProduction ? 'pretty' : 'json';
}

// Short lines for a terminal: time, level, the process name and the message. Colours follow the
// terminal (and NO_COLOR).
const PRETTY_OPTIONS = {
  translateTime: 'SYS:HH:MM:ss',
  ignore: 'pid,hostname,service,version',
} as const;

/**
 * Logs to stdout as JSON, or pretty-printed (see resolveLogFormat); with LOG_DIR also to
 * `<name>.log` (the configured level) and `<name>.error.log` (errors only), always JSON, each
 * rotated at 10 MB keeping 5 files, as the spec asks. `stdout` replaces the terminal stream
 * without LOG_DIR (tests read the lines from it).
 */
export function createLogger(
  config: LoggerConfig,
  name: string,
  stdout?: NodeJS.WritableStream,
): Logger {
  const options: pino.LoggerOptions = {
    name,
    level: config.logLevel,
    base: { service: name, version: config.version },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const format = resolveLogFormat(config);
  // pino-pretty (~40 modules with its dependencies) only for a person at a terminal: production
  // writes JSON and never loads it.
  const pretty = () => createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  if (!config.logDir || config.logLevel === 'silent') {
    // Synchronous, so a line is on the terminal before anything the process does next.
    if (format === 'pretty')
      return pino(options, pretty()({ ...PRETTY_OPTIONS, sync: true, destination: stdout }));
    return stdout ? pino(options, stdout) : pino(options);
  }
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
      format === 'pretty'
        ? { target: 'pino-pretty', level: config.logLevel, options: { ...PRETTY_OPTIONS } }
        : { target: 'pino/file', level: config.logLevel, options: { destination: 1 } },
      rolling(`${name}.log`, config.logLevel),
      rolling(`${name}.error.log`, 'error'),
    ],
  });
  return pino(options, transport);
}
