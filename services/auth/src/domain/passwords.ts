import bcrypt from 'bcrypt';
import { randomBase62 } from '@expe/server-kit';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * Compares against `hash`, or against a dummy hash of the same cost when there is no user,
   * so a wrong email takes as long as a wrong password.
   */
  verify(password: string, hash: string | undefined): Promise<boolean>;
}

export function createPasswordHasher(cost: number): PasswordHasher {
  let dummyHash: Promise<string> | undefined;
  return {
    hash: (password) => bcrypt.hash(password, cost),
    async verify(password, hash) {
      if (hash !== undefined) return bcrypt.compare(password, hash);
      dummyHash ??= bcrypt.hash(randomBase62(32), cost);
      await bcrypt.compare(password, await dummyHash);
      return false;
    },
  };
}
