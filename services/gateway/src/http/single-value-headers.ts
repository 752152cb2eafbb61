import type { NextFunction, Request, Response } from 'express';
import { AppError } from '@expe/server-kit';

/**
 * Headers that carry one value. Node joins repeated lines into `a, b`, which would reach the
 * service as a new, merged value (a fresh idempotency key for a retried request), or name a
 * project or mode nobody sent; a client that sends one twice is refused instead (issue 11,
 * finding 10). First in the /v1 chain, so the answer is the same 400 whoever the caller is.
 */
const singleValueHeaders: Record<string, string> = {
  'idempotency-key': 'Idempotency-Key',
  'expe-project': 'Expe-Project',
  'expe-mode': 'Expe-Mode',
  'expe-version': 'Expe-Version',
};

export function refuseRepeatedHeaders(req: Request, _res: Response, next: NextFunction): void {
  for (const [name, param] of Object.entries(singleValueHeaders)) {
    if ((req.headersDistinct[name]?.length ?? 0) > 1) {
      throw AppError.of('parameter_invalid', `Send the ${param} header once`, { param });
    }
  }
  next();
}
