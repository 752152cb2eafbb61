import { once } from 'node:events';
import { IncomingMessage, ServerResponse, type Server, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';
import type { Logger } from './logger.js';

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  /** Stops accepting connections, lets in-flight requests finish (up to the timeout). */
  close(): Promise<void>;
}

export async function listen(
  app: Express | ((req: never, res: never) => void),
  options: { port: number; host?: string; shutdownTimeoutMs?: number; drainMs?: number },
): Promise<RunningServer> {
  const { createServer } = await import('node:http');
  let isDraining = false;
  const handler = app as unknown as (req: IncomingMessage, res: ServerResponse) => void;
  const server = createServer(expressClasses(app), (req, res) => {
    // Draining: answer, then close the connection, so clients open a new one elsewhere.
    if (isDraining) res.shouldKeepAlive = false;
    handler(req, res);
  });
  server.keepAliveTimeout = 65_000;
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(options.port, options.host ?? '0.0.0.0');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    async close() {
      if (!server.listening) return;
      isDraining = true;
      await drain(sockets, options.drainMs ?? 0);
      await closeServer(server, options.shutdownTimeoutMs ?? 10_000);
    },
  };
}

/**
 * Requests and answers made with an Express app's own prototypes from the start. Express gives
 * every request and answer its prototypes with `Object.setPrototypeOf` (`app.handle`), which
 * changes the object's hidden class on every request; an object that already has them is left as
 * it is (issue 23: the services' and the gateway's CPU per request). Anything that is not an
 * Express app gets Node's own classes.
 */
function expressClasses(app: unknown): ServerOptions {
  const prototypes = app as { request?: unknown; response?: unknown };
  if (typeof prototypes.request !== 'object' || typeof prototypes.response !== 'object') return {};
  // Node's classes are plain constructor functions: a function with the app's prototype that
  // calls them is a subclass `new` can build.
  function Request(this: IncomingMessage, socket: Socket) {
    IncomingMessage.call(this, socket);
  }
  Request.prototype = prototypes.request;
  function Response(this: ServerResponse, req: IncomingMessage, options?: unknown) {
    (ServerResponse as unknown as (req: IncomingMessage, options?: unknown) => void).call(
      this,
      req,
      options,
    );
  }
  Response.prototype = prototypes.response;
  return {
    IncomingMessage: Request as unknown as typeof IncomingMessage,
    ServerResponse: Response as unknown as typeof ServerResponse,
  };
}

/**
 * Waits up to `drainMs` for keep-alive connections to end by themselves: each one's next
 * response carries `Connection: close`. Closing an idle keep-alive socket at once races a
 * client that is sending on it right then (its request fails without an answer); a client that
 * keeps sending gets a clean close instead, and only sockets idle for the whole period are cut.
 */
async function drain(sockets: Set<Socket>, drainMs: number): Promise<void> {
  const deadline = Date.now() + drainMs;
  while (sockets.size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function closeServer(server: Server, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
  await closed;
  clearTimeout(timer);
}

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits: 0 when it finished, 1 when it threw.
 * A second signal exits at once.
 */
export function onShutdown(logger: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}
