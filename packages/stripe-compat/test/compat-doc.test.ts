import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compatDocPath, formattedCompatDoc } from '../scripts/write-compat-doc.js';
import { compatCounts, renderCompatDoc, stripeOperations } from '../src/index.js';

describe('docs/stripe-compatibility.md', () => {
  it('when the operation specs change, then the committed table is regenerated (no drift)', async () => {
    // On failure: npm run compat-doc -w @expe/stripe-compat
    expect(readFileSync(compatDocPath, 'utf8')).toBe(await formattedCompatDoc());
  });

  it('when the table is counted, then every status appears and every operation is a row', () => {
    const counts = compatCounts();
    expect(counts.supported).toBeGreaterThan(0);
    expect(counts.partial).toBeGreaterThan(0);
    expect(counts.not).toBeGreaterThan(0);
    const doc = renderCompatDoc();
    for (const operation of stripeOperations) {
      expect(doc).toContain(`${operation.method} ${operation.path}`);
    }
  });
});
