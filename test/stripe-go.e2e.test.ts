// The official Go client (github.com/stripe/stripe-go, pinned in test/stripe-go/go.mod) against
// Expe's Stripe-compatible listener through the real platform: the Go test program in
// test/stripe-go walks every operation docs/stripe-compatibility.md marks served, with the Go
// client's own encoding of parameters. A second official SDK beside
// test/stripe-compat.e2e.test.ts (stripe-node).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableCoverage } from './support/stripe-coverage.js';
import { onboardMerchant, startTestPlatform, type TestPlatform } from './support/test-platform.js';

/** `go` on PATH, else Go's default install directory; undefined when neither has it. */
function findGo(): string | undefined {
  const directories = [...(process.env.PATH ?? '').split(delimiter), '/usr/local/go/bin'];
  return directories.map((directory) => join(directory, 'go')).find((path) => existsSync(path));
}

let t: TestPlatform;

beforeAll(async () => {
  t = await startTestPlatform();
  if (!t.platform.stripeUrl) throw new Error('the Stripe-compatible listener did not start');
});

afterAll(async () => {
  await t?.close();
});

describe('the official Go client (stripe-go)', () => {
  it('when stripe-go drives every served operation against the listener, then every Go test passes', async () => {
    const go = findGo();
    // Not a skip: CI has Go, and this is the only check of the second official client.
    if (!go) {
      throw new Error(
        'Go is not installed (not on PATH, not in /usr/local/go/bin): test/stripe-go needs Go 1.23 or newer to run stripe-go against the listener.',
      );
    }
    const merchant = await onboardMerchant(t, 'stripe-go');
    const run = await promisify(execFile)(go, ['test', '-count=1', '-v', './...'], {
      cwd: join(import.meta.dirname, 'stripe-go'),
      env: {
        ...process.env,
        STRIPE_API_BASE: t.platform.stripeUrl!,
        STRIPE_SECRET_KEY: merchant.key.secret,
        EXPE_API_BASE: t.url,
      },
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: { code?: number | string; stdout?: string; stderr?: string; message: string }) => ({
        code: error.code ?? 1,
        output: `${error.stdout ?? ''}${error.stderr ?? ''}\n${error.message}`,
      }),
    );
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/^ok\s/m);
  }, 300_000);

  it('when the Go tests have run, then stripe-go drove every supported and partial operation of the table to a 2xx answer', async () => {
    // As the listener counted them (issue 20: each row exercised by both official clients).
    const coverage = await tableCoverage(t.url, 'stripe-go', notDrivenByStripeGo);
    expect(
      coverage.missing,
      `operations the table serves that stripe-go never drove to a 2xx answer: ${coverage.missing.join(', ')}`,
    ).toEqual([]);
    expect(coverage.staleExceptions, 'exceptions that are driven after all (remove them)').toEqual(
      [],
    );
  });
});

/** An operation no stripe-go call can reach, with why (none today). */
const notDrivenByStripeGo: Record<string, string> = {};
