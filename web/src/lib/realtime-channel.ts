import { useEffect, useRef, useState } from 'react';

export type RealtimeStatus = 'connecting' | 'live' | 'polling';

export interface RealtimeChannel {
  /** `payment:<id>`, `merchant` or `wallet` (docs/websocket.md); null subscribes to nothing. */
  channel: string | null;
  /** Read at every (re)connect, so a refreshed access token is used. */
  credentials: () => {
    token?: string | null;
    client_secret?: string;
    /** The project a merchant user follows on the `merchant` channel (its `Expe-Project`). */
    project?: string | null;
    mode?: 'test' | 'live';
  };
  /** Called when an event arrives, once subscribed, and every 3 s while not connected. */
  onChange: () => void;
  onEvent?: (event: RealtimeEvent) => void;
  /** Changing it resubscribes (e.g. the console's project or test/live mode). */
  resubscribeKey?: string;
}

export interface RealtimeEvent {
  id: string;
  type: string;
  data: { object: Record<string, unknown> };
}

const pollMs = 3_000;
const maxBackoffMs = 15_000;

function socketUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/v1/ws`;
}

/**
 * Keeps a WebSocket subscription open with reconnect (exponential backoff) and resubscribe,
 * calling `onChange` on every event. While the socket is down `onChange` runs every 3 s instead
 * (the page polls), so the page stays current either way. No query library: the checkout entry
 * uses it as it is; the app's pages use `useRealtime` (lib/realtime.ts).
 */
export function useRealtimeChannel({
  channel,
  credentials,
  onChange,
  onEvent,
  resubscribeKey,
}: RealtimeChannel): RealtimeStatus {
  const [status, setStatus] = useState<RealtimeStatus>('connecting');
  const latest = useRef({ credentials, onChange, onEvent });
  latest.current = { credentials, onChange, onEvent };

  useEffect(() => {
    if (!channel) return;
    let socket: WebSocket | null = null;
    let closed = false;
    let attempt = 0;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let pingTimer: ReturnType<typeof setInterval> | undefined;
    let live = false;

    const refresh = () => latest.current.onChange();
    const pollTimer = setInterval(() => {
      if (!live) refresh();
    }, pollMs);

    const connect = () => {
      if (closed) return;
      setStatus(attempt === 0 ? 'connecting' : 'polling');
      socket = new WebSocket(socketUrl());
      socket.addEventListener('open', () => {
        const { token, client_secret, project, mode } = latest.current.credentials();
        socket?.send(
          JSON.stringify({
            type: 'subscribe',
            channel,
            ...(token ? { token } : {}),
            ...(client_secret ? { client_secret } : {}),
            ...(project ? { project } : {}),
            ...(mode ? { mode } : {}),
          }),
        );
        pingTimer = setInterval(() => socket?.send(JSON.stringify({ type: 'ping' })), 25_000);
      });
      socket.addEventListener('message', (message) => {
        let data: { type?: string; channel?: string; event?: RealtimeEvent };
        try {
          data = JSON.parse(String(message.data)) as typeof data;
        } catch {
          return;
        }
        if (data.type === 'subscribed' && data.channel === channel) {
          attempt = 0;
          live = true;
          setStatus('live');
          // Anything that happened while we were connecting is fetched once now.
          refresh();
        } else if (data.type === 'error') {
          // Refused (e.g. an expired token): fall back to polling and try again later.
          socket?.close();
        } else if (data.type === 'event' && data.event) {
          latest.current.onEvent?.(data.event);
          refresh();
        }
      });
      socket.addEventListener('close', () => {
        live = false;
        clearInterval(pingTimer);
        if (closed) return;
        setStatus('polling');
        const delay = Math.min(maxBackoffMs, 1_000 * 2 ** attempt) * (0.75 + Math.random() / 2);
        attempt += 1;
        retryTimer = setTimeout(connect, delay);
      });
    };
    connect();

    return () => {
      closed = true;
      clearInterval(pollTimer);
      clearInterval(pingTimer);
      clearTimeout(retryTimer);
      socket?.close();
    };
  }, [channel, resubscribeKey]);

  return status;
}
