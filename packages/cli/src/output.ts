/** Where a command writes: JSON (one document per result) or lines for people. */
export interface Output {
  json: boolean;
  /** A result: pretty JSON in --json mode, else the human text. */
  result(value: unknown, human: () => string): void;
  /** A streamed record (listen, logs tail): one JSON object per line in --json mode. */
  record(value: unknown, human: () => string): void;
  /** Progress and hints for people: on stderr, so stdout stays parseable with --json. */
  info(text: string): void;
}

export function createOutput(json: boolean): Output {
  const write = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  return {
    json,
    result(value, human) {
      write(json ? JSON.stringify(value, null, 2) : human());
    },
    record(value, human) {
      write(json ? JSON.stringify(value) : human());
    },
    info(text) {
      process.stderr.write(`${text}\n`);
    },
  };
}

export function formatAmount(amount: number, currency: string): string {
  return `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;
}

export function formatTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

/** A plain table: columns padded to their widest cell. */
export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
