import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

/**
 * Random bytes for ULIDs, drawn from the OS 4 KiB at a time. ulid's own generator asks the OS
 * for one byte per character (16 calls per id, and a use case makes several ids), which showed
 * up in the payments profile (issue 9).
 */
function bufferedRandom(): () => number {
  const pool = new Uint8Array(4096);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return (pool[next++] as number) / 256;
  };
}

const nextUlid = monotonicFactory(bufferedRandom());

/**
 * Object ids such as `usr_01kb3v4y7m9q2x8c5d6e7f8g9h`: a type prefix and a lower-case ULID, so
 * ids sort by creation time and cursor pagination can order by id alone.
 */
export function newId(prefix: string): string {
  return `${prefix}_${nextUlid().toLowerCase()}`;
}

export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
