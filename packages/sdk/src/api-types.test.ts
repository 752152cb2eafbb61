import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiTypesPath, generateApiTypes } from '../scripts/generate-types.js';

describe('generated API types', () => {
  it('when openapi.json changes, then src/generated/api-types.ts is regenerated (no drift)', async () => {
    const committed = readFileSync(apiTypesPath, 'utf8');

    // On failure: npm run generate-types -w @expe/sdk
    expect(committed).toBe(await generateApiTypes());
  });
});
