import { AppError, realtimeChannels, type Principal, type ServiceClient } from '@expe/server-kit';
import { SubscriptionError, type ClientMessage } from './protocol.js';

type Subscribe = Extract<ClientMessage, { type: 'subscribe' }>;

interface PaymentOwner {
  merchant_id: string;
  mode: 'test' | 'live';
}

/**
 * Decides whether a WebSocket client may follow a channel, and which pub/sub channel feeds it:
 * `wallet` needs the user's own access token; `merchant` a secret key (its merchant and mode)
 * or a merchant user's token; `payment:<id>` the payment's client_secret (checkout page) or a
 * credential of the merchant that owns it. Anything else is refused without saying whether the
 * payment exists.
 */
export function createSubscriptionAuthorizer(deps: {
  authenticate(authorization: string | undefined): Promise<Principal>;
  payments: ServiceClient;
  merchants: ServiceClient;
}) {
  async function principalOf(token: string | undefined): Promise<Principal> {
    if (!token)
      throw new SubscriptionError('unauthorized', 'Send a token (access token or secret key)');
    try {
      return await deps.authenticate(`Bearer ${token}`);
    } catch (error) {
      if (error instanceof AppError && error.httpStatus >= 500) {
        throw new SubscriptionError('unavailable', 'Cannot check the credential right now');
      }
      throw new SubscriptionError('unauthorized', 'The token is invalid or expired');
    }
  }

  async function merchantOfUser(userId: string): Promise<string> {
    const { status, body } = await deps.merchants<{ id: string }>(
      'GET',
      `/internal/merchants/by-owner/${userId}`,
    );
    if (status !== 200)
      throw new SubscriptionError('forbidden', 'This user has no merchant account');
    return body.id;
  }

  async function paymentOwner(paymentId: string): Promise<PaymentOwner> {
    const { status, body } = await deps.payments<PaymentOwner>(
      'GET',
      `/internal/payments/${paymentId}`,
    );
    if (status === 404) throw new SubscriptionError('not_found', 'No such payment');
    if (status !== 200) throw new SubscriptionError('unavailable', 'Cannot check the payment now');
    return body;
  }

  return async function authorize(message: Subscribe): Promise<string> {
    if (message.channel === 'wallet') {
      const principal = await principalOf(message.token);
      if (principal.kind !== 'user') {
        throw new SubscriptionError('forbidden', 'The wallet channel needs a user access token');
      }
      return realtimeChannels.user(principal.userId);
    }

    if (message.channel === 'merchant') {
      const principal = await principalOf(message.token);
      if (principal.kind === 'api_key' && principal.keyType === 'secret') {
        return realtimeChannels.merchant(principal.merchantId, principal.mode);
      }
      if (principal.kind === 'user' && principal.role === 'merchant') {
        return realtimeChannels.merchant(
          await merchantOfUser(principal.userId),
          message.mode ?? 'test',
        );
      }
      throw new SubscriptionError(
        'forbidden',
        'The merchant channel needs a secret key or a merchant',
      );
    }

    const paymentId = message.channel.slice('payment:'.length);
    if (message.client_secret) {
      const { status } = await deps.payments(
        'POST',
        `/internal/payments/${paymentId}/verify-client-secret`,
        {
          client_secret: message.client_secret,
        },
      );
      if (status !== 200) throw new SubscriptionError('not_found', 'No such payment');
      return realtimeChannels.payment(paymentId);
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
    const owner = await paymentOwner(paymentId);
    const isOwner =
      principal.kind === 'api_key'
        ? principal.merchantId === owner.merchant_id && principal.mode === owner.mode
        : principal.kind === 'user' && principal.role === 'merchant'
          ? (await merchantOfUser(principal.userId)) === owner.merchant_id
          : false;
    // Someone else's payment looks exactly like a missing one.
    if (!isOwner) throw new SubscriptionError('not_found', 'No such payment');
    return realtimeChannels.payment(paymentId);
  };
}
