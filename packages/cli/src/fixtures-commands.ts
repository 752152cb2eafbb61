import { readFile } from 'node:fs/promises';
import { applyScenario, parseScenario, ScenarioError, type AppliedStep } from '@expe/scenarios';
import type { Command } from 'commander';
import { defaultApiBase, readConfig, UsageError } from './config.js';
import { readEnvFile } from './env-file.js';
import { createOutput, table, type Output } from './output.js';
import { ReportedFailure } from './reported-failure.js';
import { sandboxEnv } from './sandbox.js';

interface Globals {
  json?: boolean;
  apiKey?: string;
  apiBase?: string;
}

/**
 * The key and gateway: flags, then EXPE_API_KEY / EXPE_API_BASE, then the env file (as
 * `expe sandbox create --env-file` writes it), then the saved config.
 */
async function credentialsOf(globals: Globals, envFile: string | undefined) {
  const fromFile = envFile ? await readEnvFile(envFile) : {};
  const config = await readConfig();
  const apiKey =
    globals.apiKey ??
    (process.env.EXPE_API_KEY || undefined) ??
    fromFile[sandboxEnv.apiKey] ??
    config.api_key;
  const apiBase =
    globals.apiBase ??
    (process.env.EXPE_API_BASE || undefined) ??
    fromFile[sandboxEnv.apiBase] ??
    config.api_base ??
    defaultApiBase;
  if (!apiKey) {
    throw new UsageError(
      'No API key: pass --api-key sk_test_… or --env-file .env, set EXPE_API_KEY, or run `expe login` first.',
    );
  }
  return { apiKey, apiBase };
}

async function readScenarioFile(path: string) {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  return parseScenario(text, { source: path });
}

const stepRow = (step: AppliedStep) => [
  step.outcome,
  step.id,
  step.kind,
  step.objectId ?? step.object,
  typeof step.value.status === 'string' ? step.value.status : '',
];

/** The failure, for people on stderr or as the JSON error object; exit 2 for a bad file. */
function report(error: ScenarioError, output: Output): never {
  if (output.json) process.stdout.write(`${JSON.stringify({ error: error.toJSON() }, null, 2)}\n`);
  else process.stderr.write(`Error: ${error.message}\n`);
  throw new ReportedFailure(error.message, error.code === 'invalid_scenario' ? 2 : 1);
}

/** `expe fixtures apply FILE`: a scenario file (docs/scenarios.md) applied to a sandbox. */
export function registerFixturesCommands(program: Command): void {
  const fixtures = program
    .command('fixtures')
    .description('scenarios as code: known test data in a sandbox');

  fixtures
    .command('apply')
    .description(
      'apply a scenario (YAML or JSON) to the key’s sandbox; applying it again creates nothing new',
    )
    .argument('<file>', 'the scenario, e.g. examples/scenarios/refund.yaml')
    .option(
      '--env-file <file>',
      `read ${sandboxEnv.apiKey} and ${sandboxEnv.apiBase} here (as expe sandbox create writes them)`,
    )
    .action(async (file: string, options: { envFile?: string }, command: Command) => {
      const globals = command.optsWithGlobals<Globals>();
      const output = createOutput(Boolean(globals.json));
      try {
        const scenario = await readScenarioFile(file);
        const { apiKey, apiBase } = await credentialsOf(globals, options.envFile);
        const applied = await applyScenario(scenario, {
          baseUrl: apiBase,
          secretKey: apiKey,
          onStep: (step) => {
            if (!output.json) output.info(`${step.outcome.padEnd(7)}  ${step.id}`);
          },
        });
        const created = applied.steps.filter((step) => step.outcome === 'created').length;
        output.result(
          {
            object: 'scenario_application',
            scenario: applied.scenario,
            project_id: applied.projectId,
            steps: applied.steps.map((step) => ({
              id: step.id,
              kind: step.kind,
              object: step.object,
              object_id: step.objectId,
              outcome: step.outcome,
            })),
            outputs: applied.outputs,
          },
          () =>
            [
              `Applied ${applied.scenario} to ${applied.projectId}: ${created} of ${applied.steps.length} steps created, ${applied.steps.length - created} reused.`,
              table(applied.steps.map(stepRow)),
              ...Object.entries(applied.outputs).map(
                ([name, value]) =>
                  `${name}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
              ),
            ].join('\n'),
        );
      } catch (error) {
        if (error instanceof ScenarioError) report(error, output);
        throw error;
      }
    });
}
