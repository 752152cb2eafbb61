// The benchmark's load generator, in a process of its own so that its CPU is never counted
// against the platform. The orchestrator (scripts/bench.ts) sends one `LoadSpec` over IPC and
// gets one `LoadResult` back.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

export type LoadSpec = { title: string; connections: number } & (
  { duration: number; amount?: undefined } | { amount: number; duration?: undefined }
) &
  (
    | { kind: 'get'; url: string; headers?: Record<string, string> }
    | { kind: 'post'; url: string; body: string; headers?: Record<string, string> }
    | { kind: 'p2p'; url: string; users: { token: string; vpa: string }[]; hot: boolean }
    | { kind: 'card'; url: string; secretKey: string }
    | { kind: 'keys'; url: string; keys: string[] }
  );

export interface LoadResult {
  title: string;
  /** Completed requests per second (for `card`: create + confirm pairs per second). */
  rate: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  /** Connection errors and timeouts: requests that got no HTTP answer at all. */
  errors: number;
  requests: number;
  seconds: number;
}

const json = { 'content-type': 'application/json' };

/** What the create step of a card iteration hands to its confirm step. */
interface CardContext {
  payment?: { id: string; client_secret: string } | undefined;
}

function requestsOf(spec: LoadSpec): autocannon.Request[] {
  switch (spec.kind) {
    case 'get':
      return [{ method: 'GET', headers: spec.headers }];
    case 'post':
      return [{ method: 'POST', headers: { ...json, ...spec.headers }, body: spec.body }];
    case 'keys': {
      let next = 0;
      return [
        {
          method: 'GET',
          setupRequest: (request) => ({
            ...request,
            headers: { authorization: `Bearer ${spec.keys[next++ % spec.keys.length]}` },
          }),
        },
      ];
    }
    case 'p2p': {
      const { users, hot } = spec;
      const pick = () => Math.floor(Math.random() * users.length);
      return [
        {
          method: 'POST',
          setupRequest: (request) => {
            let from = pick();
            let to = pick();
            // Hot wallet: half of all transfers touch wallet 0, as sender or receiver.
            if (hot && Math.random() < 0.5) {
              if (Math.random() < 0.5) from = 0;
              else to = 0;
            }
            if (from === to) to = (to + 1) % users.length;
            return {
              ...request,
              headers: {
                ...json,
                authorization: `Bearer ${users[from]!.token}`,
                'idempotency-key': randomUUID(),
              },
              body: JSON.stringify({ to: users[to]!.vpa, amount: 100 }),
            };
          },
        },
      ];
    }
    case 'card': {
      const create: autocannon.Request = {
        method: 'POST',
        path: '/v1/payments',
        setupRequest: (request) => ({
          ...request,
          headers: {
            ...json,
            authorization: `Bearer ${spec.secretKey}`,
            'idempotency-key': randomUUID(),
          },
          body: JSON.stringify({ amount: 49_900, currency: 'inr', description: 'bench' }),
        }),
        onResponse: (status, body, context) => {
          (context as CardContext).payment =
            status === 201 ? (JSON.parse(body) as CardContext['payment']) : undefined;
        },
      };
      const confirm: autocannon.Request = {
        method: 'POST',
        setupRequest: (request, context) => {
          const { payment } = context as CardContext;
          // A failed create still needs a request here: confirm an id that does not exist.
          return {
            ...request,
            path: `/v1/payments/${payment?.id ?? 'pay_missing000000'}/confirm`,
            headers: { ...json, 'idempotency-key': randomUUID() },
            body: JSON.stringify({
              client_secret: payment?.client_secret ?? 'missing',
              method: 'card',
              card: { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' },
            }),
          };
        },
      };
      return [create, confirm];
    }
  }
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const started = Date.now();
  const result = await autocannon({
    url: spec.kind === 'card' ? new URL(spec.url).origin : spec.url,
    connections: spec.connections,
    ...(spec.amount === undefined ? { duration: spec.duration } : { amount: spec.amount }),
    timeout: 30,
    requests: requestsOf(spec),
  });
  const seconds = (Date.now() - started) / 1000;
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) {
    statuses[code] = (stat as { count: number }).count;
  }
  const answered = Object.values(statuses).reduce((sum, count) => sum + count, 0);
  const perIteration = spec.kind === 'card' ? 2 : 1;
  return {
    title: spec.title,
    rate: answered / perIteration / (spec.duration ?? seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    statuses,
    errors: result.errors + result.timeouts,
    requests: answered,
    seconds,
  };
}

process.on('message', (spec: LoadSpec) => {
  run(spec).then(
    (result) => process.send?.({ ok: true, result }),
    (error: unknown) => process.send?.({ ok: false, error: String(error) }),
  );
});
