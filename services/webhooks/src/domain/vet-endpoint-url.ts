import { AppError } from '@expe/server-kit';
import type { WebhooksContext } from './context.js';
import { checkEndpointUrl, UrlRefusedError, urlPolicyFor, type ResolveHost } from './url-guard.js';

const registrationLookupTimeoutMs = 5_000;

/** A lookup that gives up, as a DNS failure, rather than hold an API request for long. */
function withTimeout(resolve: ResolveHost): ResolveHost {
  return async (hostname) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(Object.assign(new Error('DNS lookup timed out'), { code: 'EAI_AGAIN' })),
        registrationLookupTimeoutMs,
      );
    });
    try {
      return await Promise.race([resolve(hostname), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/** The registration-time SSRF check: a refused URL is a 400 on `url`. */
export async function vetEndpointUrl(
  ctx: Pick<WebhooksContext, 'config' | 'resolveHost'>,
  url: string,
  mode: 'test' | 'live',
): Promise<void> {
  const policy = urlPolicyFor(
    mode,
    ctx.config.WEBHOOK_ALLOW_LOOPBACK_IN_TEST,
    ctx.config.WEBHOOK_ALLOWED_PRIVATE_HOSTS,
    ctx.config.WEBHOOK_PLATFORM_PORTS,
  );
  try {
    await checkEndpointUrl(url, policy, withTimeout(ctx.resolveHost));
  } catch (error) {
    if (error instanceof UrlRefusedError) {
      throw AppError.of('parameter_invalid', `Invalid url: ${error.reason}`, { param: 'url' });
    }
    throw error;
  }
}
