import { inspect } from 'node:util';

/**
 * Holds a secret so that it cannot end up in a log line, a JSON body or an error message by
 * accident: every way of printing it shows `[redacted]`. `reveal()` is the only way out.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'Secret([redacted])';
  }
}
