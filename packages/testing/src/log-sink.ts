import { Writable } from 'node:stream';

/** A secret found in a log line: what kind, the matching text and the line it was in. */
export interface LogFinding {
  kind: string;
  match: string;
  line: string;
}

/**
 * Secret shapes a log must never hold. Written apart from the logger's own redaction on
 * purpose: the scan is the oracle that checks the redaction, not a copy of it. Publishable
 * keys (`pk_…`) are public by design and not listed.
 */
const secretShapes: { kind: string; pattern: RegExp }[] = [
  { kind: 'secret key', pattern: /\bsk_(?:test|live)_[A-Za-z0-9]+/g },
  { kind: 'restricted key', pattern: /\brk_(?:test|live)_[A-Za-z0-9]+/g },
  { kind: 'webhook signing secret', pattern: /\bwhsec_[A-Za-z0-9+/=_-]+/g },
  { kind: 'JWT', pattern: /\beyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/g },
  { kind: 'session id', pattern: /\bses_[0-9a-z]{10,}/g },
  { kind: 'bcrypt hash', pattern: /\$2[abxy]\$\d\d\$[./A-Za-z0-9]+/g },
  { kind: 'argon2 hash', pattern: /\$argon2(?:id|i|d)\$/g },
];
// Alone, not inside a longer word such as a request id's hex.
const digitRuns = /(?<![\w-])\d{13,19}(?![\w-])/g;

function passesLuhn(digits: string): boolean {
  let sum = 0;
  [...digits].reverse().forEach((char, index) => {
    const digit = Number(char) * (index % 2 === 1 ? 2 : 1);
    sum += digit > 9 ? digit - 9 : digit;
  });
  return sum % 10 === 0;
}

/**
 * Every secret in `text`: the shapes above, card numbers (13–19 digits that pass Luhn) and
 * each of `literals` (the passwords, tokens and keys a test used or was given) verbatim.
 */
export function findSecrets(text: string, literals: Iterable<string> = []): LogFinding[] {
  const findings: LogFinding[] = [];
  const wanted = [...new Set(literals)].filter((literal) => literal.length >= 6);
  for (const line of text.split('\n')) {
    if (!line) continue;
    for (const { kind, pattern } of secretShapes) {
      for (const [match] of line.matchAll(pattern)) findings.push({ kind, match, line });
    }
    for (const [match] of line.matchAll(digitRuns)) {
      if (passesLuhn(match)) findings.push({ kind: 'card number', match, line });
    }
    for (const literal of wanted) {
      // A literal may sit in a JSON string, where `"` and `\` are escaped.
      const escaped = JSON.stringify(literal).slice(1, -1);
      if (line.includes(literal) || line.includes(escaped)) {
        findings.push({ kind: 'literal', match: literal, line });
      }
    }
  }
  return findings;
}

export interface LogSink {
  /** Give it to the platform (`logDestination`) or to `createLogger` as the destination. */
  stream: Writable;
  /** Every line written so far. */
  lines(): string[];
  /** The secrets in everything written so far (see `findSecrets`). */
  findSecrets(literals?: Iterable<string>): LogFinding[];
}

/**
 * Collects log lines in memory: a test starts the platform with it as the log destination and
 * at a `debug` LOG_LEVEL, then fails on any secret the services wrote (issue 21).
 */
export function createLogSink(): LogSink {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  const text = () => chunks.join('');
  return {
    stream,
    lines: () => text().split('\n').filter(Boolean),
    findSecrets: (literals = []) => findSecrets(text(), literals),
  };
}
