import type { NextFunction, Request, Response } from 'express';
import { AppError } from '@expe/server-kit';

/**
 * Headers that carry one value. Node joins repeated lines into `a, b`, which would reach the
 * service as a new, merged value (a fresh idempotency key for a retried request), or name a
 * project or mode nobody sent; a client that sends one twice is refused instead (issue 11,
 * finding 10). First in the /v1 chain, so the answer is the same 400 whoever the caller is.
 */
const singleValueHeaders = new Map([
  ['idempotency-key', 'Idempotency-Key'],
  ['expe-project', 'Expe-Project'],
  ['expe-mode', 'Expe-Mode'],
  ['expe-version', 'Expe-Version'],
]);

export function refuseRepeatedHeaders(req: Request, _res: Response, next: NextFunction): void {
  // The raw header lines, not `headersDistinct`, which builds an array for every header of
  // every request (issue 23: the gateway's own CPU per request).
  const raw = req.rawHeaders;
  let seen: string[] | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    // Every name above is 9 to 15 characters long: most lines are passed over unread.
    if (name.length < 9 || name.length > 15) continue;
    const param = singleValueHeaders.get(name.toLowerCase());
    if (param === undefined) continue;
    if (seen?.includes(param)) {
      throw AppError.of('parameter_invalid', `Send the ${param} header once`, { param });
    }
    (seen ??= []).push(param);
  }
  next();
}
