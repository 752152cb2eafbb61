// The internal API's route type: what one Expe service offers another under `/internal/*`. The
// serving side parses its input with these schemas and the kit's typed client
// (`createInternalClient` in @expe/server-kit) builds the request and parses the answer with
// them, so neither side writes its own guard. The gateway never forwards `/internal/*`.
import { z } from '../zod.js';

/** The deployables that serve or call internal routes (the `aud`/`iss` of the identity). */
export type ServiceName = 'gateway' | 'auth' | 'merchants' | 'payments' | 'webhooks' | 'operator';

export type InternalMethod = 'GET' | 'POST' | 'DELETE';

export interface InternalRoute {
  /** The service that serves the route. */
  service: ServiceName;
  method: InternalMethod;
  /** Express form: `:name` segments are filled from `params`. */
  path: string;
  /** The services whose identity may call it (`requireService`). */
  callers: readonly ServiceName[];
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Every status a caller may act on, with the body it carries. */
  responses: Readonly<Record<number, z.ZodType>>;
}

/** Keeps the route's literal types (path, statuses) for the client and the server. */
export function internalRoute<const R extends InternalRoute>(route: R): R {
  return route;
}

/**
 * An internal error answer. Lenient on purpose: a refusal is read for its status, and at most
 * for its `error.code` (the merchants resolve tells an ended key from an unknown one).
 */
export const internalErrorSchema = z.object({
  error: z.object({ code: z.string().optional(), message: z.string().optional() }).optional(),
});
export type InternalError = z.infer<typeof internalErrorSchema>;

/** The route's path with its `:name` segments filled in, each one URL-encoded. */
export function internalPathOf(route: Pick<InternalRoute, 'path'>, params?: object): string {
  const values = (params ?? {}) as Record<string, string | number | undefined>;
  return route.path.replace(/:([A-Za-z_]+)/g, (_segment, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new Error(`${route.path}: the path parameter ${name} is missing`);
    return encodeURIComponent(value);
  });
}
