import type { ExpeClient, RequestLog } from '@expe/sdk';
import type { Output } from './output.js';

/**
 * Prints the project's API requests as they happen: polls `GET /v1/request_logs` for entries
 * newer than the last one seen, every `intervalMs`, until `signal` aborts.
 */
export async function tailLogs(
  client: ExpeClient,
  output: Output,
  signal: AbortSignal,
  intervalMs = 1000,
): Promise<void> {
  const print = (entry: RequestLog) =>
    output.record(entry, () => {
      const time = new Date(entry.created * 1000).toISOString().slice(11, 19);
      return `${time}  ${entry.method.padEnd(6)} ${entry.path.padEnd(40)} ${entry.status}  ${String(entry.latency_ms).padStart(5)} ms  ${entry.id}  ${entry.key_id}`;
    });
  // Start from now: the newest existing entry is the cursor, not printed.
  let newest = (await client.requestLogs.list({ limit: 1 })).data[0]?.id;
  output.info('Tailing this project’s API requests in this key’s mode (Ctrl-C to stop)…');
  while (!signal.aborted) {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, intervalMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(undefined);
      });
    });
    if (signal.aborted) break;
    let page;
    try {
      page = await client.requestLogs.list(
        newest ? { ending_before: newest, limit: 100 } : { limit: 100 },
      );
    } catch (error) {
      // The cursor aged out of the log (more than 1000 newer requests): start again from now.
      if ((error as { code?: string }).code !== 'resource_missing') throw error;
      page = await client.requestLogs.list({ limit: 100 });
    }
    const fresh = page.data;
    if (fresh.length === 0) continue;
    newest = fresh[0]!.id;
    for (const entry of [...fresh].reverse()) print(entry);
  }
}
