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
  '*.refreshToken',
  '*.accessToken',
  '*.card_number',
  '*.cvc',
  '*.secret_hash',
  '*.password_hash',
  '*.passwordHash',
  '*.api_key',
  '*.apiKey',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["x-expe-identity"]',
  '*.headers["set-cookie"]',
  'password',
  'secret',
  'token',
];

/**
 * Secrets recognisable by their value, wherever they are in a line (a message, an error's
 * stack, a field no redacted path names): secret and restricted keys, webhook signing secrets,
 * JWTs (access tokens and signed identities), session ids (a session's revocation handle),
 * bcrypt and argon2 hashes. Card numbers are digit runs that pass Luhn (`cardNumbers`).
 * Publishable keys (`pk_…`) are public by design and stay readable.
 */
const secretValues =
  /\b(?:sk|rk)_(?:test|live)_[A-Za-z0-9]{8,}|\bwhsec_[A-Za-z0-9+/_=-]{8,}|\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{8,}|\bses_[0-9a-z]{20,}|\$2[abxy]\$\d\d\$[./A-Za-z0-9]{20,}|\$argon2(?:id|i|d)\$[^"\s\\]+/g;
// Alone, not inside a longer word: a request id's hex (`req_…cf397544684184078ba`) often holds
// a run of digits that passes Luhn.
const cardNumbers = /(?<![\w-])\d{13,19}(?![\w-])/g;

/** Whether a digit string passes the Luhn check every card number passes. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/**
 * Blanks every secret recognisable by its value in a serialized log line. Every logger's
 * output passes through it (pino's `streamWrite` hook), so a call site that logs a secret in a
 * message or under an unexpected key still writes `[redacted]` (issue 21): the paths above
 * cover what is known by name, this covers what is known by shape.
 */
export function redactSecretValues(line: string): string {
  return line
    .replace(secretValues, '[redacted]')
    .replace(cardNumbers, (digits) => (isLuhnValid(digits) ? '[redacted]' : digits));
}

let processDestination: NodeJS.WritableStream | undefined;

/**
 * Where every logger made afterwards without a destination of its own writes, instead of
 * stdout: a test captures the lines of every service it starts in its process (the platform's
 * `logDestination`). Returns a function that puts the previous destination back.
 */
export function setLogDestination(destination: NodeJS.WritableStream | undefined): () => void {
  const previous = processDestination;
  processDestination = destination;
  return () => {
    processDestination = previous;
  };
}

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
    hooks: { ...rest.hooks, streamWrite: redactSecretValues },
  };
  const target = destination ?? processDestination;
  return target ? pino(pinoOptions, target) : pino(pinoOptions);
}
