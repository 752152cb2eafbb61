import { createLogger, redactedPaths, type Logger } from '@expe/server-kit';

/**
 * `client_secret=…` (QR, timeline and payment reads of the checkout page) or a receipt's
 * `token=…` in a query string.
 */
const clientSecretInQuery = /([?&](?:client_secret|token)=)[^&#]*/gi;

export function maskClientSecret(url: string): string {
  return url.replace(clientSecretInQuery, '$1[redacted]');
}

/**
 * The kit's logger, plus what only payments has: the checkout page authenticates reads with
 * `?client_secret=`, which request logs would otherwise keep in `req.url` and `req.query`.
 */
export function createPaymentsLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return createLogger(
    {
      name: 'payments',
      level,
      redact: {
        paths: [...redactedPaths, 'req.query.client_secret', 'req.query.token', 'req.url'],
        // The URL stays readable; only a client secret in it is blanked.
        censor: (value: unknown, path: string[]) =>
          path.at(-1) === 'url' && typeof value === 'string'
            ? maskClientSecret(value)
            : '[redacted]',
      },
    },
    destination,
  );
}
