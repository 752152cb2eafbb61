import { monotonicFactory } from 'ulid';

const nextUlid = monotonicFactory();

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
