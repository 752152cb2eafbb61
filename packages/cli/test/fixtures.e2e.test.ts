import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  onboardMerchant,
  startTestPlatform,
  type TestPlatform,
} from '../../../test/support/test-platform.js';
import { runExpe } from './cli-process.js';

const samples = fileURLToPath(new URL('../../../examples/scenarios/', import.meta.url));

let t: TestPlatform;
let home: string;

beforeAll(async () => {
  t = await startTestPlatform();
  home = await mkdtemp(join(tmpdir(), 'expe-cli-fixtures-'));
}, 120_000);

afterAll(async () => {
  await t?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

interface Applied {
  scenario: string;
  project_id: string;
  steps: Array<{ id: string; kind: string; object_id: string | null; outcome: string }>;
  outputs: Record<string, unknown>;
}

/** A sandbox of its own, its key in an env file as `expe sandbox create --env-file` writes it. */
async function sandboxEnvFile(label: string) {
  const merchant = await onboardMerchant(t, label);
  const envFile = join(home, `${label}.env`);
  await writeFile(envFile, `EXPE_API_KEY=${merchant.key.secret}\nEXPE_API_BASE=${t.url}\n`);
  return { merchant, envFile };
}

// No saved config and no key in the environment: the key comes from the env file.
const env = () => ({ XDG_CONFIG_HOME: home, EXPE_API_KEY: '', EXPE_API_BASE: '' });

describe('expe fixtures apply', () => {
  it('when the samples are listed, then there is one per flow', async () => {
    expect((await readdir(samples)).filter((file) => file.endsWith('.yaml')).sort()).toEqual([
      'checkout-succeeded.yaml',
      'dispute.yaml',
      'manual-capture.yaml',
      'payout.yaml',
      'refund.yaml',
      'saved-card.yaml',
      'test-clock.yaml',
      'upi-qr.yaml',
    ]);
  });

  it.each([
    'checkout-succeeded',
    'dispute',
    'manual-capture',
    'payout',
    'refund',
    'saved-card',
    'test-clock',
    'upi-qr',
  ])(
    'when examples/scenarios/%s.yaml is applied twice to a sandbox, then every expectation holds and the second apply reuses every object',
    async (name) => {
      const { merchant, envFile } = await sandboxEnvFile(`fixtures-${name}`);
      const file = join(samples, `${name}.yaml`);

      const first = await runExpe(
        ['fixtures', 'apply', file, '--env-file', envFile, '--json'],
        env(),
      );
      const second = await runExpe(
        ['fixtures', 'apply', file, '--env-file', envFile, '--json'],
        env(),
      );

      expect(first.code, first.stdout + first.stderr).toBe(0);
      expect(second.code, second.stdout + second.stderr).toBe(0);
      const once = JSON.parse(first.stdout) as Applied;
      const twice = JSON.parse(second.stdout) as Applied;
      expect(once).toMatchObject({ scenario: name, project_id: merchant.project.id });
      expect(once.steps.map((step) => step.outcome)).toEqual(
        once.steps.map((step) => (step.kind === 'check' ? 'checked' : 'created')),
      );
      expect(twice.steps.map((step) => step.outcome)).toEqual(
        once.steps.map((step) => (step.kind === 'check' ? 'checked' : 'reused')),
      );
      expect(twice.steps.map((step) => step.object_id)).toEqual(
        once.steps.map((step) => step.object_id),
      );
      expect(twice.outputs).toEqual(once.outputs);
      expect(Object.keys(once.outputs).length).toBeGreaterThan(0);
    },
    60_000,
  );

  it('when a step does not meet its expectation, then the command exits 1 naming the step and field', async () => {
    const { envFile } = await sandboxEnvFile('fixtures-expect');
    const file = join(home, 'wrong.yaml');
    await writeFile(
      file,
      [
        'version: 1',
        'name: wrong',
        'steps:',
        '  - id: order',
        '    payment: { amount: 1000 }',
        '    expect: { status: requires_capture }',
      ].join('\n'),
    );

    const human = await runExpe(['fixtures', 'apply', file, '--env-file', envFile], env());
    const json = await runExpe(['fixtures', 'apply', file, '--env-file', envFile, '--json'], env());

    expect(human.code).toBe(1);
    expect(human.stderr).toContain(
      'Error: step "order" (payment): status: expected "requires_capture", got "succeeded"',
    );
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      error: {
        type: 'scenario_error',
        code: 'expectation_failed',
        step: 'order',
        message: 'step "order" (payment): status: expected "requires_capture", got "succeeded"',
        failures: [{ field: 'status', expected: 'requires_capture', actual: 'succeeded' }],
      },
    });
  });

  it('when the file is not a valid scenario, then the command exits 2 listing each field with its step, and calls no API', async () => {
    const file = join(home, 'invalid.yaml');
    await writeFile(
      file,
      [
        'version: 1',
        'name: invalid',
        'steps:',
        '  - id: order',
        '    payment: { amount: 10.5, state: paid }',
        '  - id: back',
        '    refund: { payment: "${nowhere.id}" }',
      ].join('\n'),
    );

    // No key at all: the file is refused before any credential is looked for.
    const result = await runExpe(['fixtures', 'apply', file], env());

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`Error: ${file}: not a valid scenario:`);
    expect(result.stderr).toContain('step "order" steps[0].payment.amount:');
    expect(result.stderr).toContain('step "order" steps[0].payment.state: Invalid option');
    expect(result.stderr).toContain(
      'step "back" steps[1].refund.payment: "${nowhere.id}" refers to "nowhere", which is not a step before this one',
    );
  });
});
