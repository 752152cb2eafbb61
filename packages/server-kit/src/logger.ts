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

/**
 * Fields of database errors that hold the statement's values: drizzle's `params`, pg's `detail`
 * (it repeats the failing row or key, e.g. the bcrypt hash of a registration), `where` and
 * `internalQuery`. They are dropped wherever they appear in an error or its causes.
 */
const valueCarryingErrorFields = new Set([
  'params',
  'parameters',
  'values',
  'bindings',
  'detail',
  'where',
  'internalQuery',
]);

/** Drizzle writes `\nparams: v1,v2,…` into the message (and so the stack) of a failed query. */
const paramsInText = /\nparams: [\s\S]*?(?=\n {4}at |$)/g;
const scrubText = (text: unknown) =>
  typeof text === 'string' ? text.replace(paramsInText, '\nparams: [redacted]') : text;

/**
 * The `err` serializer: type, message, stack, code and the other fields of an error and of its
 * causes — without any SQL parameter value (issue 11, finding 4). Logs must tell what failed,
 * never with which values: those are passwords' hashes, keys, tokens and card numbers.
 */
export function serializeError(error: unknown, depth = 0): unknown {
  if (error === null || typeof error !== 'object') return error;
  if (depth > 5) return '[cause chain too deep]';
  const source = error as Record<string, unknown> & { cause?: unknown; errors?: unknown };
  const serialized: Record<string, unknown> = {
    type: error.constructor?.name ?? 'Object',
    message: scrubText(source.message),
    stack: scrubText(source.stack),
  };
  for (const [key, value] of Object.entries(source)) {
    if (valueCarryingErrorFields.has(key) || key === 'cause' || key === 'errors') continue;
    serialized[key] = value instanceof Error ? serializeError(value, depth + 1) : scrubText(value);
  }
  if (source.cause !== undefined) serialized.cause = serializeError(source.cause, depth + 1);
  if (Array.isArray(source.errors)) {
    serialized.errors = source.errors.map((item) => serializeError(item, depth + 1));
  }
  return serialized;
}

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
    serializers: { err: serializeError, error: serializeError, ...rest.serializers },
  };
  return destination ? pino(pinoOptions, destination) : pino(pinoOptions);
}
