import type { Redis } from 'ioredis';
import type { merchantsInternalApi } from '@expe/contracts';
import {
  AppError,
  batchPerTurn,
  revokedSessionKey,
  sha256Hex,
  verifyAccessToken,
  type InternalClient,
  type Principal,
  type Secret,
} from '@expe/server-kit';
import { singleFlight } from './single-flight.js';

type ApiKeyPrincipal = Extract<Principal, { kind: 'api_key' }>;

/** The merchants service's internal API (`@expe/contracts`), as the gateway calls it. */
export type MerchantsClient = InternalClient<typeof merchantsInternalApi>;

/** A 503 with `message` for an answer of the merchants service the gateway cannot use. */
export const unavailable = (message: string) => () => AppError.of('service_unavailable', message);

type KeyLookup =
  | { principal: ApiKeyPrincipal }
  | { errorCode: 'invalid_api_key' | 'expired_api_key'; message?: string };

/** The project a merchant user's session acts for, if that user's merchant owns it. */
type ProjectLookup = { merchantId: string } | { isMissing: true };

/** `Expe-Project` and `Expe-Mode` as sent. */
export interface ActingAs {
  project: string | undefined;
  mode: string | undefined;
  /**
   * `sha256Hex` of the API key the header carries (`apiKeyIn`), when the caller has worked it
   * out already: the key is hashed once per request, not once per user of the hash.
   */
  apiKeyHash?: string | undefined;
}

const bearerPattern = /^Bearer\s+(\S+)\s*$/i;
const apiKeyPrefix = /^(sk|pk)_/;

/**
 * The API key an Authorization header carries, as `authenticate` reads it (`Bearer sk_…` or
 * `Bearer pk_…`, well formed or not), or undefined for any other header.
 */
export function apiKeyIn(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const credential = bearerPattern.exec(authorization)?.[1];
  return credential !== undefined && apiKeyPrefix.test(credential) ? credential : undefined;
}

/** What an anonymous request is: one frozen object, as every principal the gateway makes. */
const anonymous: Principal = Object.freeze({ kind: 'anonymous' });

const apiKeyPattern = /^(sk|pk)_(test|live)_[0-9A-Za-z]{16,64}$/;
const projectIdPattern = /^prj_[0-9a-z]{10,40}$/;

/**
 * Turns the Authorization header into a Principal: an API key (resolved by the merchants
 * service), a person's access token (verified here, session checked against the revocation
 * list in Redis), or anonymous when there is no header. Both lookups are single-flight and
 * cached briefly, unknown keys included, so a burst on one key — or of one bad key — makes one
 * lookup, not one per request.
 *
 * A merchant user's access token with `Expe-Project: prj_…` and `Expe-Mode: test|live` acts as
 * that project's secret key of that mode (same data, same rules), once the merchants service
 * says the user's merchant owns the project (cached like keys). So the web console never needs
 * an `sk_` in the browser. Another merchant's project is a 404, as for any object of theirs.
 */
export function createAuthenticator(deps: {
  jwtSecret: Secret;
  redis: Redis;
  merchants: MerchantsClient;
  cacheTtlMs: number;
  sessionCheckTtlMs: number;
}) {
  const lookUpKey = singleFlight<KeyLookup>(
    async (hash) => {
      const answer = await deps.merchants.resolveApiKey(
        { body: { hash } },
        { unusable: unavailable('Could not check the API key; try again') },
      );
      if (answer.status === 200) {
        const key = answer.body;
        // Frozen: the same object serves every request of the key while it is cached, and
        // signIdentity finds its token by it.
        return {
          principal: Object.freeze({
            kind: 'api_key',
            keyId: key.key_id,
            keyType: key.key_type,
            merchantId: key.merchant_id,
            projectId: key.project_id,
            mode: key.mode,
          } as const),
        };
      }
      // The contract's 404 is the catalog's 401 here; an ended key says why (a rolled secret
      // past its grace, a sandbox past its end).
      const error = answer.body.error;
      return error?.code === 'expired_api_key'
        ? { errorCode: 'expired_api_key', message: error.message }
        : { errorCode: 'invalid_api_key' };
    },
    { ttlMs: deps.cacheTtlMs, isNegative: (lookup) => 'errorCode' in lookup },
  );

  // Every session checked in one turn of the event loop, in one MGET (auth writes a revoked
  // session's key as a string): one command for all the requests of that turn (issue 23).
  const areRevoked = batchPerTurn(async (sessionIds: string[]) =>
    (await deps.redis.mget(sessionIds.map(revokedSessionKey))).map((value) => value !== null),
  );
  const checkSession = singleFlight<{ isRevoked: boolean }>(
    async (sessionId) => {
      // Fail closed: while the revocation list cannot be read, a signed-out session could
      // otherwise be used again. API keys keep working (they do not depend on Redis).
      if (deps.redis.status !== 'ready') {
        throw AppError.of('service_unavailable', 'Cannot check the session right now; try again');
      }
      try {
        return { isRevoked: await areRevoked(sessionId) };
      } catch (error) {
        throw AppError.of('service_unavailable', 'Cannot check the session right now; try again', {
          cause: error,
        });
      }
    },
    { ttlMs: deps.sessionCheckTtlMs },
  );

  async function resolveApiKey(key: string, hash = sha256Hex(key)): Promise<ApiKeyPrincipal> {
    const lookup = await lookUpKey(hash);
    if ('errorCode' in lookup) {
      throw AppError.of(
        lookup.errorCode,
        lookup.errorCode === 'expired_api_key'
          ? (lookup.message ??
              'This API key was rolled and its grace period is over: use the new key')
          : `Invalid API key provided: ${mask(key)}`,
      );
    }
    return lookup.principal;
  }

  const lookUpProject = singleFlight<ProjectLookup>(
    async (userAndProject) => {
      const [userId = '', projectId = ''] = userAndProject.split(' ');
      const options = { unusable: unavailable('Could not check the project; try again') };
      const merchant = await deps.merchants.getMerchantOfOwner(
        { params: { user_id: userId } },
        options,
      );
      if (merchant.status === 404) return { isMissing: true };
      const project = await deps.merchants.getProject(
        { params: { id: merchant.body.id, project_id: projectId } },
        options,
      );
      if (project.status === 404) return { isMissing: true };
      return { merchantId: merchant.body.id };
    },
    { ttlMs: deps.cacheTtlMs, isNegative: (lookup) => 'isMissing' in lookup },
  );

  /** The secret-key principal a merchant user's session gets for `Expe-Project`/`Expe-Mode`. */
  async function actAsProject(person: Principal, actingAs: ActingAs): Promise<ApiKeyPrincipal> {
    const { projectId, mode } = parseActingAs(actingAs);
    if (person.kind !== 'user' || person.role !== 'merchant') {
      throw AppError.of(
        'permission_denied',
        'Only a merchant user can act for a project with Expe-Project',
        { param: 'Expe-Project' },
      );
    }
    const lookup = await lookUpProject(`${person.userId} ${projectId}`);
    if ('isMissing' in lookup) {
      throw AppError.of('resource_missing', `No such project: '${projectId}'`, {
        param: 'Expe-Project',
      });
    }
    return {
      kind: 'api_key',
      // The session stands where a key would (rate limits, the request log).
      keyId: person.sessionId,
      keyType: 'secret',
      merchantId: lookup.merchantId,
      projectId,
      mode,
    };
  }

  /** The principal of each verified token's claims (cached and frozen by verifyAccessToken). */
  const people = new WeakMap<object, Principal>();

  async function verifyPerson(token: string): Promise<Principal> {
    let claims;
    try {
      claims = verifyAccessToken(deps.jwtSecret, token);
    } catch {
      throw AppError.of('invalid_access_token', 'The access token is invalid or expired');
    }
    if ((await checkSession(claims.sid)).isRevoked) {
      throw AppError.of('invalid_access_token', 'This session has been signed out');
    }
    let person = people.get(claims);
    if (!person) {
      person = Object.freeze({
        kind: 'user',
        userId: claims.sub,
        role: claims.role,
        email: claims.email,
        sessionId: claims.sid,
      } as const);
      people.set(claims, person);
    }
    return person;
  }

  return async function authenticate(
    authorization: string | undefined,
    actingAs: ActingAs = { project: undefined, mode: undefined },
  ): Promise<Principal> {
    const isActing = actingAs.project !== undefined || actingAs.mode !== undefined;
    if (!authorization) {
      if (isActing) {
        throw AppError.of(
          'authentication_required',
          'Expe-Project needs a merchant user\'s access token: "Authorization: Bearer <token>"',
        );
      }
      return anonymous;
    }
    const match = bearerPattern.exec(authorization);
    if (!match?.[1]) {
      throw AppError.of(
        'authentication_required',
        'Malformed Authorization header: use "Authorization: Bearer <key or token>"',
      );
    }
    const credential = match[1];
    if (apiKeyPrefix.test(credential)) {
      if (!apiKeyPattern.test(credential)) {
        throw AppError.of('invalid_api_key', `Invalid API key provided: ${mask(credential)}`);
      }
      const key = await resolveApiKey(credential, actingAs.apiKeyHash);
      if (isActing) checkKeyMatches(key, actingAs);
      return key;
    }
    const person = await verifyPerson(credential);
    return isActing ? actAsProject(person, actingAs) : person;
  };
}

function parseActingAs(actingAs: ActingAs): { projectId: string; mode: 'test' | 'live' } {
  if (!actingAs.project) {
    throw AppError.of('parameter_missing', 'Expe-Mode needs Expe-Project: prj_…', {
      param: 'Expe-Project',
    });
  }
  if (!projectIdPattern.test(actingAs.project)) {
    throw AppError.of('parameter_invalid', 'Expe-Project must be a project id (prj_…)', {
      param: 'Expe-Project',
    });
  }
  if (actingAs.mode !== 'test' && actingAs.mode !== 'live') {
    throw AppError.of(
      actingAs.mode === undefined ? 'parameter_missing' : 'parameter_invalid',
      'Expe-Mode must be test or live',
      { param: 'Expe-Mode' },
    );
  }
  return { projectId: actingAs.project, mode: actingAs.mode };
}

/** An API key already names its project and mode: headers that say otherwise are a mistake. */
function checkKeyMatches(key: ApiKeyPrincipal, actingAs: ActingAs): void {
  if (actingAs.project !== undefined && actingAs.project !== key.projectId) {
    throw AppError.of('parameter_invalid', 'Expe-Project is not the project of this API key', {
      param: 'Expe-Project',
    });
  }
  if (actingAs.mode !== undefined && actingAs.mode !== key.mode) {
    throw AppError.of('parameter_invalid', `Expe-Mode is not the mode of this API key`, {
      param: 'Expe-Mode',
    });
  }
}

/** Shows enough of a key to recognise it in an error, never enough to use it. */
function mask(key: string): string {
  const prefix = /^(sk|pk)_(test|live)_/.exec(key)?.[0] ?? '';
  return `${prefix}${'*'.repeat(8)}${key.slice(-4)}`;
}
