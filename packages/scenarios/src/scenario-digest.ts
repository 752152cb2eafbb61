import { createHash } from 'node:crypto';
import type { Scenario } from './scenario-schema.js';

/** JSON with every object's keys sorted, so that the same scenario always reads the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * `sha256:<hex>` of the scenario's content, whatever the key order or YAML/JSON spelling. A
 * caller that applies a scenario once per sandbox (the operator's Sandbox resource) records it,
 * and applies again only when it changes: a second apply is free within the Idempotency-Keys'
 * 24 hours, but creates everything again after them.
 */
export function scenarioDigest(scenario: Scenario): string {
  return `sha256:${createHash('sha256').update(canonical(scenario)).digest('hex')}`;
}
