import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * Something a test file starts once: `start` runs in a `beforeAll` and `stop` in an `afterAll`,
 * both registered where this is called (at the top of the file). What it returns stands for the
 * started thing: each property is read from it when used, so module-level helpers can close over
 * it as they did over a `let` assigned in `beforeAll`. Reading it before the file's `beforeAll`
 * has run throws, saying what is not running.
 *
 * Vitest runs after-hooks in reverse, so a file's own `afterAll` (registered after this call)
 * runs before `stop`: close what uses the service there, as before.
 */
export function perFile<T extends object>(
  what: string,
  start: () => Promise<T>,
  stop: (started: T) => Promise<void>,
): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  });
  afterAll(async () => {
    if (started) await stop(started);
  });
  const current = (): T => {
    if (!started) throw new Error(`${what} is not running: use it in a test or a hook`);
    return started;
  };
  return new Proxy({} as T, {
    get(_, key): unknown {
      const target = current();
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value.bind(target) as unknown) : value;
    },
    set: (_, key, value) => Reflect.set(current(), key, value),
  });
}

/** A scratch directory of the test file's own: made before its first test, removed after its last. */
export function scratchDirPerFile(prefix: string): { readonly path: string } {
  return perFile(
    `the scratch directory ${prefix}`,
    async () => ({ path: await mkdtemp(join(tmpdir(), prefix)) }),
    ({ path }) => rm(path, { recursive: true, force: true }),
  );
}
