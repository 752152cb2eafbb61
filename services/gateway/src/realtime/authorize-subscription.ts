import type { paymentsInternalApi } from '@expe/contracts';
import {
  AppError,
  keyScope,
  realtimeChannels,
  sha256Hex,
  type InternalClient,
  type Principal,
  type Scope,
} from '@expe/server-kit';
import type { ActingAs } from '../domain/authenticate.js';
import {
  SubscriptionError,
  type Authorized,
  type ClientMessage,
  type Credential,
} from './protocol.js';

type Subscribe = Extract<ClientMessage, { type: 'subscribe' }>;

/**
 * Decides whether a WebSocket client may follow a channel, and which pub/sub channel feeds it:
 * `wallet` needs the user's own access token; `merchant` is one project in one mode — a secret
 * key's, or the `project` (and `mode`) a merchant user's token names, checked as `Expe-Project`
 * is over HTTP; `payment:<id>` the payment's client_secret (checkout page) or such a credential
 * of the payment's own project and mode. Anything else is refused without saying whether the
 * payment exists.
 *
 * Each allowed subscription comes with the credential it was made with, so the socket can be
 * closed when that credential ends; the same call re-checks a live subscription.
 */
export function createSubscriptionAuthorizer(deps: {
  authenticate(authorization: string | undefined, actingAs?: ActingAs): Promise<Principal>;
  payments: InternalClient<typeof paymentsInternalApi>;
}) {
  async function principalOf(token: string | undefined, actingAs?: ActingAs): Promise<Principal> {
    if (!token)
      throw new SubscriptionError('unauthorized', 'Send a token (access token or secret key)');
    try {
      return await deps.authenticate(`Bearer ${token}`, actingAs);
    } catch (error) {
      if (error instanceof AppError && error.httpStatus >= 500) {
        throw new SubscriptionError('unavailable', 'Cannot check the credential right now');
      }
      // Another merchant's project looks exactly like a missing one, as over HTTP.
      if (error instanceof AppError && error.code === 'resource_missing' && actingAs) {
        throw new SubscriptionError('not_found', `No such project: '${actingAs.project}'`);
      }
      const isExpired =
        (error instanceof AppError && error.code === 'expired_api_key') ||
        (accessTokenExpiry(token) ?? Infinity) <= Date.now();
      throw new SubscriptionError('unauthorized', 'The token is invalid or expired', isExpired);
    }
  }

  /**
   * The project and mode a credential acts in on the socket, or undefined for a credential that
   * acts in none (a wallet user, a publishable key). A merchant user owns several projects and
   * must name one, exactly as HTTP needs `Expe-Project`: the authenticator checks the user's
   * merchant owns it and turns the session into that project's secret-key principal.
   */
  async function scopeOf(principal: Principal, message: Subscribe): Promise<Scope | undefined> {
    if (principal.kind === 'api_key' && principal.keyType === 'secret') {
      const isOtherProject =
        message.project !== undefined && message.project !== principal.projectId;
      const isOtherMode = message.mode !== undefined && message.mode !== principal.mode;
      if (isOtherProject || isOtherMode) {
        throw new SubscriptionError(
          'forbidden',
          'A secret key acts in its own project and mode: leave out project and mode, or send the key’s own',
        );
      }
      return keyScope(principal);
    }
    if (principal.kind === 'user' && principal.role === 'merchant') {
      if (!message.project) {
        throw new SubscriptionError(
          'project_required',
          'A merchant user acts in one project: send "project": "prj_…" and "mode": "test" | "live" (test when left out), as Expe-Project and Expe-Mode over HTTP',
        );
      }
      const acting = await principalOf(message.token, {
        project: message.project,
        mode: message.mode ?? 'test',
      });
      if (acting.kind !== 'api_key') throw new Error('acting for a project gave no key principal');
      return keyScope(acting);
    }
    return undefined;
  }

  /** Payments' `getPaymentOwner`: whose the payment is, in which project and mode. */
  async function paymentOwner(paymentId: string) {
    const answer = await deps.payments.getPaymentOwner(
      { params: { id: paymentId } },
      { unusable: () => new SubscriptionError('unavailable', 'Cannot check the payment now') },
    );
    if (answer.status === 404) throw new SubscriptionError('not_found', 'No such payment');
    return answer.body;
  }

  /** What the subscription stands on: the session or the key secret, and the scope it acts in. */
  function credentialOf(principal: Principal, token: string, scope: Scope | undefined): Credential {
    const acting = { projectId: scope?.projectId, merchantId: scope?.merchantId };
    if (principal.kind === 'user') {
      return { sessionId: principal.sessionId, expiresAt: accessTokenExpiry(token), ...acting };
    }
    if (principal.kind === 'api_key') {
      return { keyId: principal.keyId, secretHash: sha256Hex(token), ...acting };
    }
    return acting;
  }

  return async function authorize(message: Subscribe): Promise<Authorized> {
    const token = message.token ?? '';
    if (message.channel === 'wallet') {
      const principal = await principalOf(message.token);
      if (principal.kind !== 'user') {
        throw new SubscriptionError('forbidden', 'The wallet channel needs a user access token');
      }
      return {
        channel: realtimeChannels.user(principal.userId),
        credential: credentialOf(principal, token, undefined),
      };
    }

    if (message.channel === 'merchant') {
      const principal = await principalOf(message.token);
      const scope = await scopeOf(principal, message);
      if (!scope) {
        throw new SubscriptionError(
          'forbidden',
          'The merchant channel needs a secret key, or a merchant user’s token with project',
        );
      }
      return {
        channel: realtimeChannels.project(scope.projectId, scope.mode),
        credential: credentialOf(principal, token, scope),
      };
    }

    const paymentId = message.channel.slice('payment:'.length);
    if (message.client_secret) {
      // A client_secret that is not the payment's, or cannot be one, is the same not_found.
      const { status } = await deps.payments.verifyClientSecret(
        { params: { id: paymentId }, body: { client_secret: message.client_secret } },
        { unusable: () => new SubscriptionError('not_found', 'No such payment') },
      );
      if (status !== 200) throw new SubscriptionError('not_found', 'No such payment');
      return { channel: realtimeChannels.payment(paymentId), credential: undefined };
    }
    const principal = await principalOf(message.token);
    // As over HTTP (GET /v1/payments/:id answers 403 secret_key_required): a publishable key
    // lives in browsers, and the payment's events carry customer_email and metadata.
    if (principal.kind === 'api_key' && principal.keyType !== 'secret') {
      throw new SubscriptionError(
        'forbidden',
        'Following a payment needs a secret key (sk_…) or the payment’s client_secret, not a publishable key',
      );
    }
    const scope = await scopeOf(principal, message);
    const owner = scope ? await paymentOwner(paymentId) : undefined;
    // The project is the boundary: a payment of another project of the same merchant (or of
    // the other mode) looks exactly like a missing one, as GET /v1/payments/:id answers 404.
    const isInScope =
      scope !== undefined &&
      owner !== undefined &&
      owner.merchant_id === scope.merchantId &&
      owner.project_id === scope.projectId &&
      owner.mode === scope.mode;
    if (!isInScope) throw new SubscriptionError('not_found', 'No such payment');
    return {
      channel: realtimeChannels.payment(paymentId),
      credential: credentialOf(principal, token, scope),
    };
  };
}

/**
 * Epoch milliseconds of an access token's `exp`, read without verifying: only called on a
 * token the authenticator has verified (or to tell "expired" from "invalid" in a refusal).
 */
function accessTokenExpiry(token: string | undefined): number | undefined {
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
