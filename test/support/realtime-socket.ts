import WebSocket from 'ws';

/** What the gateway sends over /v1/ws, read loosely: the assertions are the type check. */
export type SocketMessage = Record<string, any>;

export interface RealtimeSocket {
  ws: WebSocket;
  messages: SocketMessage[];
  next(predicate: (message: SocketMessage) => boolean, timeoutMs?: number): Promise<SocketMessage>;
  send(message: unknown): void;
}

/**
 * A client of the gateway's `/v1/ws` (the protocol of docs/websocket.md) that keeps every
 * message; `next` resolves with the first one, seen or still to come, that matches.
 */
export async function connectRealtime(
  gatewayUrl: string,
  options: WebSocket.ClientOptions = {},
): Promise<RealtimeSocket> {
  const ws = new WebSocket(`${gatewayUrl.replace('http', 'ws')}/v1/ws`, options);
  const messages: SocketMessage[] = [];
  const waiters: {
    predicate: (m: SocketMessage) => boolean;
    resolve: (m: SocketMessage) => void;
  }[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse((data as Buffer).toString('utf8')) as SocketMessage;
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return {
    ws,
    messages,
    send: (message) => ws.send(JSON.stringify(message)),
    next(predicate, timeoutMs = 5_000) {
      const seen = messages.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`no matching message in ${timeoutMs} ms: ${JSON.stringify(messages)}`),
            ),
          timeoutMs,
        );
        waiters.push({ predicate, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
  };
}
