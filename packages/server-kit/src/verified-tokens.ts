/**
 * Tokens that passed verification, with what they said, until they expire: a token presented
 * again (the same bytes, signature included) is accepted without a second signature check, and
 * its expiry is checked on every use. Failed tokens are never kept, so only a valid token's
 * holder can add one. At most `max` are kept, the oldest dropped first (issue 23).
 */
export class VerifiedTokens<T> {
  readonly #entries = new Map<string, { value: T; expiresAt: number }>();

  constructor(private readonly max = 10_000) {}

  /** What `token` said, if it was verified and its `exp` (seconds) has not come yet. */
  get(token: string): T | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    // jsonwebtoken's own rule: expired from the second `exp` names.
    if (Math.floor(Date.now() / 1000) < entry.expiresAt) return entry.value;
    this.#entries.delete(token);
    return undefined;
  }

  /** Keeps a verified token until `expiresAt` (the JWT's `exp`, seconds since the epoch). */
  set(token: string, value: T, expiresAt: number): void {
    this.#entries.delete(token);
    this.#entries.set(token, { value, expiresAt });
    if (this.#entries.size > this.max) this.#entries.delete(this.#entries.keys().next().value!);
  }
}
