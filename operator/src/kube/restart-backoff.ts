/**
 * How long a failed list or watch waits before it starts again: doubling from `initialMs` up to
 * `maxMs`, back to `initialMs` once the watch has delivered something. A watch that is refused
 * for good (a tenant namespace deleted while still in watchNamespaces: its Secrets are
 * forbidden) is then retried, and logged, about once a minute instead of every two seconds.
 */
export function createRestartBackoff({ initialMs = 2_000, maxMs = 60_000 } = {}) {
  let failures = 0;
  return {
    /** The wait before the next start, counting this failure. */
    next(): number {
      const delay = Math.min(maxMs, initialMs * 2 ** Math.min(failures, 30));
      failures += 1;
      return delay;
    },
    /** The watch works again: the next failure waits `initialMs`. */
    reset(): void {
      failures = 0;
    },
    get failures(): number {
      return failures;
    },
  };
}
