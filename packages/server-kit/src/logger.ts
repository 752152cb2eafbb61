import { pino, type Logger, type LoggerOptions } from 'pino';
import { traceFields } from './telemetry.js';

export type { Logger };

/**
 * Paths pino blanks out wherever they appear in a log object. Secrets are also wrapped in
 * `Secret`, so this is the second line of defence, not the only one.
 */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-expe-identity"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.new_password',
  '*.secret',
  '*.token',
  '*.access_token',
  '*.refresh_token',
  '*.client_secret',
  '*.card.number',
  '*.card.cvc',
  'password',
  'secret',
  'token',
];

export function createLogger(
  options: { name: string; level?: string } & LoggerOptions,
  destination?: NodeJS.WritableStream,
): Logger {
  const { name, level = 'info', ...rest } = options;
  const pinoOptions: LoggerOptions = {
    name,
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: traceFields,
    ...rest,
  };
  return destination ? pino(pinoOptions, destination) : pino(pinoOptions);
}
