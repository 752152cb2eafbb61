/**
 * Gathers the calls made during one turn of the event loop and answers them with one batched
 * call when the turn's I/O is done (`setImmediate`): one Redis command for every request that
 * arrived in the same turn instead of one per request (issue 23). `run` gets the items in call
 * order and answers one result per item, in the same order; if it fails, every call of the
 * batch fails with its error. At most `maxBatch` items go in one call; the rest wait for the
 * next.
 */
export function batchPerTurn<T, R>(
  run: (items: T[]) => Promise<R[]>,
  options: { maxBatch?: number } = {},
): (item: T) => Promise<R> {
  const maxBatch = options.maxBatch ?? 500;
  const pending: { item: T; resolve(result: R): void; reject(error: unknown): void }[] = [];

  function flush() {
    const batch = pending.splice(0, maxBatch);
    if (pending.length > 0) setImmediate(flush);
    run(batch.map((call) => call.item)).then(
      (results) => batch.forEach((call, i) => call.resolve(results[i]!)),
      (error: unknown) => batch.forEach((call) => call.reject(error)),
    );
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      if (pending.length === 0) setImmediate(flush);
      pending.push({ item, resolve, reject });
    });
}
