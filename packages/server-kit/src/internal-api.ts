import type { Request, Response, Router } from 'express';
import { internalPathOf, type InternalRoute, type z } from '@expe/contracts';
import { AppError } from './errors.js';
import { requireService, type Principal } from './identity.js';
import { sendToService, type ServiceClientOptions } from './service-client.js';
import { parseInput } from './validate.js';

type Api = Readonly<Record<string, InternalRoute>>;
type StatusOf<R extends InternalRoute> = keyof R['responses'] & number;
type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;
type Sent<S> = S extends z.ZodType ? z.input<S> : never;

/** What a call sends: the route's params, query and body, each as its schema takes it. */
export type InternalInput<R extends InternalRoute> = (R['params'] extends z.ZodType
  ? { params: Sent<R['params']> }
  : { params?: undefined }) &
  (R['query'] extends z.ZodType ? { query?: Sent<R['query']> } : { query?: undefined }) &
  (R['body'] extends z.ZodType ? { body: Sent<R['body']> } : { body?: undefined });

/** One answer per status the caller accepts, its body parsed by the contract's schema. */
export type InternalAnswer<R extends InternalRoute, S extends StatusOf<R> = StatusOf<R>> = {
  [K in S]: { status: K; body: z.output<R['responses'][K]> };
}[S];

/** An answer the caller cannot use: a status it does not accept, or a body off the contract. */
export interface UnusableAnswer {
  /** The route's name in its API, e.g. `resolveApiKey`. */
  route: string;
  method: string;
  path: string;
  status: number;
  /** The body as JSON when it was JSON, else its text. */
  body: unknown;
  cause?: unknown;
}

export interface InternalCallOptions<S extends number> {
  /** The statuses this call handles (default: every status of the contract); others are unusable. */
  expect?: readonly S[];
  /** Who the call is made as: the caller's own `service` principal unless told otherwise. */
  principal?: Principal;
  /** This call's error for an unusable answer, in place of the client's. */
  unusable?: (answer: UnusableAnswer) => Error;
}

export type InternalClient<A extends Api> = {
  [N in keyof A]: <S extends StatusOf<A[N]> = StatusOf<A[N]>>(
    input: InternalInput<A[N]>,
    options?: InternalCallOptions<S>,
  ) => Promise<InternalAnswer<A[N], S>>;
};

/**
 * A typed client of another service's internal API (`@expe/contracts`' `*InternalApi`): one
 * method per route, which fills the path, signs the caller's identity for the route's service,
 * and parses the answer with the contract's schema for its status. A network failure or timeout
 * is 503 `service_unavailable` (as `createServiceClient`); an answer the call cannot use (a
 * status it does not expect, a body that is not the contract's) is thrown as `unusable` makes it,
 * by default 503 `service_unavailable` too.
 */
export function createInternalClient<const A extends Api>(
  api: A,
  options: Omit<ServiceClientOptions, 'audience'> & {
    unusable?: (answer: UnusableAnswer) => Error;
  },
): InternalClient<A> {
  const unusable = options.unusable ?? defaultUnusable;
  const entries = Object.entries(api).map(([name, route]) => {
    const client = { ...options, audience: route.service };
    const call = async (
      input: { params?: object; query?: object; body?: unknown },
      callOptions: InternalCallOptions<number> = {},
    ) => {
      const path = internalPathOf(route, input.params) + queryOf(input.query);
      const { status, text } = await sendToService(
        client,
        route.method,
        path,
        input.body,
        callOptions.principal,
      );
      const json = jsonOf(text);
      const schema = route.responses[status];
      const isExpected = callOptions.expect?.includes(status) ?? true;
      const failure = (cause?: unknown) =>
        (callOptions.unusable ?? unusable)({
          route: name,
          method: route.method,
          path,
          status,
          body: json.value,
          cause,
        });
      if (!schema || !isExpected) throw failure();
      if (!json.isJson && text !== '') throw failure(new Error('the answer is not JSON'));
      const parsed = schema.safeParse(json.value ?? {});
      if (!parsed.success) throw failure(parsed.error);
      return { status, body: parsed.data };
    };
    return [name, call] as const;
  });
  return Object.fromEntries(entries) as unknown as InternalClient<A>;
}

function defaultUnusable(answer: UnusableAnswer): Error {
  return AppError.of(
    'service_unavailable',
    'A dependent service gave an unusable answer; try again',
    {
      cause: answer.cause ?? new Error(`${answer.method} ${answer.path} answered ${answer.status}`),
    },
  );
}

function jsonOf(text: string): { isJson: boolean; value: unknown } {
  if (text === '') return { isJson: false, value: undefined };
  try {
    return { isJson: true, value: JSON.parse(text) as unknown };
  } catch {
    return { isJson: false, value: text };
  }
}

function queryOf(query: object | undefined): string {
  if (!query) return '';
  const pairs = Object.entries(query)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]): [string, string] => [key, String(value)]);
  return pairs.length > 0 ? `?${new URLSearchParams(pairs).toString()}` : '';
}

/** What an internal route's handler gets: its input parsed by the contract's schemas. */
export interface InternalRequest<R extends InternalRoute> {
  params: Parsed<R['params']>;
  query: Parsed<R['query']>;
  body: Parsed<R['body']>;
  req: Request;
  res: Response;
}

/** What a handler answers: a status of the contract with the body its schema describes. */
export type InternalReply<R extends InternalRoute> = ReplyOf<R, StatusOf<R>>;
type ReplyOf<R extends InternalRoute, K> =
  K extends StatusOf<R> ? { status: K; body: z.input<R['responses'][K]> } : never;

/** A route's handler. (A conditional type, so the route alone fixes `R`: a handler's literal statuses are checked against it, not widened while inferring it.) */
export type InternalHandler<R extends InternalRoute> = R extends InternalRoute
  ? (request: InternalRequest<R>) => Promise<InternalReply<R>>
  : never;

/**
 * Mounts one internal route of a contract on `router`: only the route's callers (by their
 * service identity) get in, its params, query and body are parsed by the contract's schemas
 * (400 naming the field), and the handler's reply is typed by the contract's responses.
 * Refusals are thrown `AppError`s, as in any route.
 */
export function serveInternal<R extends InternalRoute>(
  router: Router,
  route: R,
  handler: InternalHandler<R>,
): void {
  const method = route.method === 'GET' ? 'get' : route.method === 'POST' ? 'post' : 'delete';
  router[method](route.path, async (req, res) => {
    requireService(res, route.callers);
    const request = {
      params: route.params ? parseInput(route.params, req.params) : undefined,
      query: route.query ? parseInput(route.query, req.query) : undefined,
      body: route.body ? parseInput(route.body, req.body) : undefined,
      req,
      res,
    } as InternalRequest<R>;
    const reply = await handler(request);
    res.status(reply.status).json(reply.body);
  });
}
