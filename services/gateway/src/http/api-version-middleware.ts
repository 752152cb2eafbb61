import type { RequestHandler } from 'express';
import {
  apiVersionHeader,
  apiVersions,
  isApiVersion,
  latestApiVersion,
  type ApiVersion,
} from '@expe/contracts';
import { AppError, type Principal } from '@expe/server-kit';
import { unavailable, type MerchantsClient } from '../domain/authenticate.js';
import { singleFlight } from '../domain/single-flight.js';

/**
 * `Expe-Version`, once for every /v1 route. `checkApiVersion` runs before
 * authentication: a version the API does not know is 400 `api_version_invalid`, and a known one
 * is echoed on the response whatever it turns out to be (even a 401). `pinApiVersion` runs after
 * authentication: without the header, the version is the caller's project's pinned version (a
 * key's project; callers without a project get the latest), read from the merchants service and
 * cached briefly. The version travels on to the service in the same header.
 */
export function apiVersionMiddleware(deps: { merchants: MerchantsClient; cacheTtlMs: number }): {
  checkApiVersion: RequestHandler;
  pinApiVersion: RequestHandler;
} {
  const lookUpPin = singleFlight<{ version: ApiVersion }>(
    async (key) => {
      const [merchantId = '', projectId = ''] = key.split('/');
      const project = await deps.merchants.getProject(
        { params: { id: merchantId, project_id: projectId } },
        { unusable: unavailable('Could not read the API version; try again') },
      );
      // A deleted project's keys are refused anyway; nothing else is missing.
      return { version: project.status === 200 ? project.body.api_version : latestApiVersion };
    },
    { ttlMs: deps.cacheTtlMs },
  );

  return {
    checkApiVersion(req, res, next) {
      const requested = req.header(apiVersionHeader);
      if (requested === undefined) return next();
      // A repeated header was refused before this (single-value-headers.ts).
      if (!isApiVersion(requested.trim())) {
        throw AppError.of(
          'api_version_invalid',
          `Invalid ${apiVersionHeader}: '${requested.slice(0, 32)}' is not an API version (known: ${apiVersions.join(', ')})`,
          { param: apiVersionHeader },
        );
      }
      res.setHeader(apiVersionHeader, requested.trim());
      next();
    },
    async pinApiVersion(req, res, next) {
      if (req.header(apiVersionHeader) === undefined) {
        const version = await pinnedVersionOf(res.locals.principal);
        res.setHeader(apiVersionHeader, version);
        req.headers[apiVersionHeader.toLowerCase()] = version;
      }
      next();
    },
  };

  async function pinnedVersionOf(principal: Principal | undefined): Promise<ApiVersion> {
    if (principal?.kind !== 'api_key') return latestApiVersion;
    return (await lookUpPin(`${principal.merchantId}/${principal.projectId}`)).version;
  }
}
