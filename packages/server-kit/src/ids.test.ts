import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('when many ids are made at once, then each is unique, prefixed, a lower-case ULID, and they sort in creation order', () => {
    const ids = Array.from({ length: 20_000 }, () => newId('pay'));

    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 100)) expect(id).toMatch(/^pay_[0-9a-hjkmnp-tv-z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
  });
});
