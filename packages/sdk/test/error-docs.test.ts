import { readFileSync } from 'node:fs';
import { errorCodes } from '@expe/contracts';
import { describe, expect, it } from 'vitest';
import { errorDocsPath, renderErrorDocs } from '../scripts/write-error-docs.js';

describe('docs/errors.md', () => {
  it('when the error table changes, then docs/errors.md is regenerated (no drift)', async () => {
    // On failure: node --conditions=@expe/source --import tsx packages/sdk/scripts/write-error-docs.ts
    expect(readFileSync(errorDocsPath, 'utf8')).toBe(await renderErrorDocs());
  });

  it('when a code is documented, then it has an explanation, not a placeholder', async () => {
    const page = await renderErrorDocs();

    for (const code of Object.keys(errorCodes)) {
      expect(page).toMatch(new RegExp(`\\| \`${code}\` +\\| \\d+ +\\| \`\\w+\` +\\| [^—]`));
    }
  });
});
