import { hash } from 'node:crypto';
import {
  type Express,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import type { z } from 'zod';
import type { Database } from './db.js';
import { notFound } from './errors.js';
import {
  requestFingerprint,
  runIdempotent,
  type EffectResult,
  type IdempotencyStore,
  type IdempotentRequest,
  type IdempotentResponse,
} from './idempotency.js';
import { idempotencyKeyOf, idempotencyScope } from './idempotency-http.js';
import { toListResource, type Page } from './pagination.js';
import { secretKeyScope, type Scope } from './scope.js';
import type { Transaction } from './transaction.js';
import { parseInput } from './validate.js';

/**
 * The one way a service writes a route. A POST is idempotent unless it says, with a reason, why
 * not: `postRoute` runs its effect under the request's Idempotency-Key in the same transaction
 * that stores the answer (the kit's `runIdempotent`), with the service's store that
 * `createServiceApp({ idempotency })` mounts once for the whole app. `createServiceApp` refuses
 * to build an app with a POST that is neither (see {@link postRoutesOf}).
 */

/** Where a service keeps its answers and for how long: given once, to `createServiceApp`. */
export interface IdempotencyConfig {
  db: Database;
  store: IdempotencyStore;
  ttlSeconds: number;
}

/** How a mounted POST is covered: idempotent, or opted out with the reason the code gives. */
export type PostCoverage =
  { kind: 'idempotent' } | { kind: 'opted_out'; reason: string } | { kind: 'uncovered' };

export interface MountedPost {
  path: string;
  coverage: PostCoverage;
}

const coverageOfHandler = new WeakMap<RequestHandler, PostCoverage>();
const idempotencyConfigKey = 'expe.idempotency';

/** Mounts the app's idempotency configuration; `createServiceApp` calls it once. */
export function mountIdempotency(app: Express, config: IdempotencyConfig | undefined): void {
  app.locals[idempotencyConfigKey] = config;
}

function idempotencyConfigOf(req: Request): IdempotencyConfig {
  const config = req.app.locals[idempotencyConfigKey] as IdempotencyConfig | undefined;
  if (!config) {
    throw new Error(
      `POST ${req.path} is idempotent but the app has no idempotency store: pass createServiceApp({ idempotency })`,
    );
  }
  return config;
}

/** A POST declared through the kit, idempotent (the default). */
export interface PostRouteSpec<Command, Prepared = void> {
  /**
   * Reads and checks what the request says (caller, path, body) before anything is written: a
   * request refused here leaves no trace, and no stored answer under its key.
   */
  parse: (req: Request, res: Response) => Command | Promise<Command>;
  /**
   * Whose Idempotency-Keys these are: by default the kit's {@link idempotencyScope} of the
   * caller; a route with a mode or an anonymous caller (a checkout page) names its own.
   */
  scope?: (res: Response, command: Command) => string;
  /** Remote calls made only when the request is not a replay, outside the transaction. */
  prepare?: (command: Command) => Promise<Prepared>;
  /** Extra headers for a fresh answer and its replays alike (`Cache-Control: no-store`). */
  headers?: Record<string, string>;
  /** After the answer is known, fresh or replayed, before it is sent (the test clock's due work). */
  afterAnswer?: (answer: IdempotentResponse, command: Command) => Promise<void>;
  /** Calls one use case in the request's transaction and says what to answer. */
  run: (tx: Transaction, command: Command, prepared: Prepared) => Promise<EffectResult>;
}

/**
 * POST `path` under its Idempotency-Key: same key and body → the first answer replayed with
 * `Idempotent-Replayed: true`; same key, other request → 422 `idempotency_key_reused`; a
 * concurrent duplicate → 409 `idempotency_key_in_use`. The claim and the answer are stored in
 * the transaction `run` writes in.
 */
export function postRoute<Command, Prepared = void>(
  router: Router,
  path: string,
  spec: PostRouteSpec<Command, Prepared>,
): void {
  const handler: RequestHandler = async (req, res) => {
    const config = idempotencyConfigOf(req);
    const command = await spec.parse(req, res);
    const { prepare } = spec;
    const response = await runIdempotent<Prepared>(
      config.db,
      config.store,
      {
        scope: spec.scope ? spec.scope(res, command) : idempotencyScope(res.locals.principal),
        key: idempotencyKeyOf(req),
        fingerprint: requestFingerprint(req.method, req.baseUrl + req.path, req.body),
        requestId: res.locals.requestId,
        ttlSeconds: config.ttlSeconds,
        prepare: prepare && (() => prepare(command)),
      },
      (tx, prepared) => spec.run(tx, command, prepared),
    );
    await spec.afterAnswer?.(response, command);
    sendAnswer(res, response, spec.headers);
  };
  coverageOfHandler.set(handler, { kind: 'idempotent' });
  router.post(path, handler);
}

/** The kit's Idempotency-Key request for a use case that claims the key itself. */
export type IdempotencyClaimRequest = Omit<IdempotentRequest, 'prepare'>;

/**
 * POST `path` whose use case claims its Idempotency-Key itself, in the one statement that makes
 * its effect (the wallet transfer's single round trip): it gets the kit's request (scope, key,
 * fingerprint, TTL) and must answer with `runIdempotent`'s semantics, in the same transaction as
 * its write; the kit checks the key and sends the answer as for {@link postRoute}.
 */
export function postRouteClaimedByUseCase<Command>(
  router: Router,
  path: string,
  spec: Pick<PostRouteSpec<Command>, 'parse' | 'scope' | 'headers'> & {
    answer: (request: IdempotencyClaimRequest, command: Command) => Promise<IdempotentResponse>;
  },
): void {
  const handler: RequestHandler = async (req, res) => {
    const config = idempotencyConfigOf(req);
    const command = await spec.parse(req, res);
    const response = await spec.answer(
      {
        scope: spec.scope ? spec.scope(res, command) : idempotencyScope(res.locals.principal),
        key: idempotencyKeyOf(req),
        fingerprint: requestFingerprint(req.method, req.baseUrl + req.path, req.body),
        requestId: res.locals.requestId,
        ttlSeconds: config.ttlSeconds,
      },
      command,
    );
    sendAnswer(res, response, spec.headers);
  };
  coverageOfHandler.set(handler, { kind: 'idempotent' });
  router.post(path, handler);
}

/** Sends an idempotent answer: its exact bytes, and `Idempotent-Replayed: true` on a replay. */
export function sendAnswer(
  res: Response,
  response: IdempotentResponse,
  headers: Record<string, string> = {},
): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (response.isReplay) res.setHeader('Idempotent-Replayed', 'true');
  if (response.body === '') res.status(response.status).end();
  else if (isSentAsExpressWould(res, response.status)) sendJson(res, response);
  else res.status(response.status).type('application/json').send(response.body);
}

/**
 * What `res.type('application/json').send(body)` does for a POST's answer with the app's default
 * weak ETag, without its content-type lookups, header parsing and hash object: the same status,
 * the same headers in the same order, the same bytes (route-kit.test.ts compares the two). A HEAD
 * or GET (freshness, 304), a status without a body, an ETag or Transfer-Encoding already set, or
 * another ETag setting go through Express.
 */
function isSentAsExpressWould(res: Response, status: number): boolean {
  const etag: unknown = res.app.get('etag');
  return (
    (etag === true || etag === 'weak') &&
    res.req.method === 'POST' &&
    status !== 204 &&
    status !== 205 &&
    status !== 304 &&
    !res.hasHeader('ETag') &&
    !res.hasHeader('Transfer-Encoding')
  );
}

function sendJson(res: Response, response: IdempotentResponse): void {
  const chunk = Buffer.from(response.body, 'utf8');
  res.statusCode = response.status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', String(chunk.length));
  // The `etag` package's weak tag, as Express's default `etag fn` makes it.
  const digest = hash('sha1', chunk, 'base64').substring(0, 27);
  res.setHeader('ETag', `W/"${chunk.length.toString(16)}-${digest}"`);
  res.end(chunk);
}

/**
 * POST `path` that is NOT run under an Idempotency-Key, for the reason given (a credential in
 * the answer that must never be stored, a caller without keys of its own, an effect that
 * deletes the keys themselves). The header is still checked, so a malformed key is 400 on every
 * POST; the route must be safe to retry as it is.
 */
export function postRouteWithoutIdempotency(
  router: Router,
  path: string,
  reason: string,
  handler: RequestHandler,
): void {
  if (reason.trim() === '')
    throw new Error(`POST ${path}: an opt-out from idempotency needs a reason`);
  const checked: RequestHandler = async (req, res, next) => {
    idempotencyKeyOf(req);
    await handler(req, res, next);
  };
  coverageOfHandler.set(checked, { kind: 'opted_out', reason });
  router.post(path, checked);
}

/**
 * `/internal/*` is the API other Expe services call, refused to every other caller
 * (`createServiceApp`): its contracts in `@expe/contracts` say what each call does, and a caller
 * retries only what is safe to (ensure-style writes, lookups). The public Idempotency-Key
 * contract is the public API's.
 */
export const internalRoutesReason =
  'internal API: called only by other Expe services, under its own contract (ensure-style writes and lookups)';

interface Layer {
  handle: unknown;
  route?: { path: unknown; methods: Record<string, boolean>; stack: Array<{ handle: unknown }> };
}

/**
 * Every POST the app has mounted (routes of any method `all` included), read from Express's own
 * router stacks, with how each is covered. The idempotency coverage test and
 * `createServiceApp`'s check read this, not a hand list.
 */
export function postRoutesOf(app: Express): MountedPost[] {
  const root = (app as unknown as { router: Router }).router;
  return postRoutesOfRouter(root);
}

function postRoutesOfRouter(router: Router): MountedPost[] {
  const found: MountedPost[] = [];
  for (const layer of (router as unknown as { stack: Layer[] }).stack) {
    const route = layer.route;
    if (route) {
      if (!route.methods.post && !route.methods._all) continue;
      const covered = route.stack
        .map((item) => coverageOfHandler.get(item.handle as RequestHandler))
        .find((coverage) => coverage !== undefined);
      const path = String(route.path);
      const internal = path.startsWith('/internal/')
        ? ({ kind: 'opted_out', reason: internalRoutesReason } as const)
        : undefined;
      found.push({ path, coverage: covered ?? internal ?? { kind: 'uncovered' } });
    } else if (isRouter(layer.handle)) {
      found.push(...postRoutesOfRouter(layer.handle));
    }
  }
  return found;
}

function isRouter(handle: unknown): handle is Router {
  return (
    typeof handle === 'function' && Array.isArray((handle as unknown as { stack?: unknown }).stack)
  );
}

/** A service app `createServiceApp` built in this process, with its POSTs. */
export interface BuiltServicePosts {
  service: string;
  posts: MountedPost[];
}

const builtServices: BuiltServicePosts[] = [];

/**
 * The POSTs of every app `createServiceApp` built in this process, as Express mounted them:
 * what `test/idempotency-coverage.test.ts` reads after starting the platform.
 */
export function builtServicePosts(): readonly BuiltServicePosts[] {
  return builtServices;
}

/**
 * Refuses an app with a POST that is neither idempotent nor opted out with a reason, and records
 * the app's POSTs for {@link builtServicePosts}.
 */
export function assertEveryPostCovered(app: Express, name: string): void {
  const posts = postRoutesOf(app);
  const uncovered = posts.filter((post) => post.coverage.kind === 'uncovered');
  if (uncovered.length > 0) {
    throw new Error(
      `${name}: ${uncovered.map((post) => `POST ${post.path}`).join(', ')} mounted without idempotency: ` +
        'declare it with postRoute (idempotent) or postRouteWithoutIdempotency(…, reason)',
    );
  }
  if (
    !app.locals[idempotencyConfigKey] &&
    posts.some((post) => post.coverage.kind === 'idempotent')
  ) {
    throw new Error(
      `${name}: its POSTs are idempotent but it has no idempotency store: pass createServiceApp({ idempotency })`,
    );
  }
  builtServices.push({ service: name, posts });
}

// ---- the route shapes most resources share -------------------------------------------------

/** The kind of object a route's `:id` names: its id prefix and its name in a 404. */
export interface IdKind {
  prefix: string;
  what: string;
}

/** A malformed id names nothing, so it is answered like an unknown one. */
export function pathId(req: Request, prefix: string, what: string): string {
  const id = String(req.params.id ?? '');
  if (!new RegExp(`^${prefix}_[0-9a-z]{10,40}$`).test(id)) throw notFound(what, id.slice(0, 64));
  return id;
}

/**
 * GET `path`: a page of the secret key's project and mode. The route parses the query, calls
 * one use case and renders the kit's list object.
 */
export function listRoute<Query, Row>(
  router: Router,
  path: string,
  parse: (query: unknown) => Query,
  list: (scope: Scope, query: Query, id: string) => Promise<Page<Row>>,
  render: (row: Row) => unknown,
  /** For a list below one object (`/v1/customers/:id/payment_methods`). */
  of?: IdKind,
): void {
  router.get(path, async (req, res) => {
    const scope = secretKeyScope(res);
    const id = of ? pathId(req, of.prefix, of.what) : '';
    const query = parse(req.query);
    res.json(toListResource(await list(scope, query, id), render));
  });
}

/** GET `path` (ending in `/:id`): one object of the secret key's project and mode, or 404. */
export function retrieveRoute<Row>(
  router: Router,
  path: string,
  kind: IdKind,
  get: (scope: Scope, id: string) => Promise<Row>,
  render: (row: Row) => unknown,
): void {
  router.get(path, async (req, res) => {
    const scope = secretKeyScope(res);
    const id = pathId(req, kind.prefix, kind.what);
    res.json(render(await get(scope, id)));
  });
}

/** What a secret key's POST gives its use case: the key's scope, the path's id, the parsed body. */
export interface MerchantPost<Input, Prepared> {
  scope: Scope;
  /** The path's `:id` when the route names one, else ''. */
  id: string;
  input: Input;
  prepared: Prepared;
}

/**
 * POST `path` with a secret key, idempotent ({@link postRoute}): the path id and the body are
 * checked first (a refused request leaves no trace), `prepare` makes the remote calls a replay
 * must not, and `effect` calls one use case in the request's transaction and says what to answer.
 */
export function merchantPostRoute<Schema extends z.ZodType, Prepared = void>(
  router: Router,
  path: string,
  spec: {
    body: Schema;
    id?: IdKind;
    /**
     * Checks of the body beyond its schema, made before the key is claimed so a refusal leaves
     * no trace (a use case's stated limit, such as the configured maximum amount).
     */
    check?: (input: z.output<Schema>) => void;
    prepare?: (scope: Scope, input: z.output<Schema>) => Promise<Prepared>;
    headers?: Record<string, string>;
  },
  effect: (
    tx: Transaction,
    post: MerchantPost<z.output<Schema>, Prepared>,
  ) => Promise<EffectResult>,
): void {
  const { prepare } = spec;
  type Command = { scope: Scope; id: string; input: z.output<Schema> };
  postRoute<Command, Prepared>(router, path, {
    parse: (req, res): Command => {
      const scope = secretKeyScope(res);
      const id = spec.id ? pathId(req, spec.id.prefix, spec.id.what) : '';
      const input = parseInput(spec.body, req.body ?? {});
      spec.check?.(input);
      return { scope, id, input };
    },
    prepare: prepare && ((command) => prepare(command.scope, command.input)),
    headers: spec.headers,
    run: (tx, command, prepared) => effect(tx, { ...command, prepared }),
  });
}
