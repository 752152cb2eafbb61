import type { Command } from 'commander';
import { defaultApiBase, readConfig } from './config.js';
import { readEnvFile } from './env-file.js';
import { createOutput, formatTime } from './output.js';
import { createSandbox, deleteSandbox, parseTtl, sandboxEnv } from './sandbox.js';

interface Globals {
  json?: boolean;
  apiBase?: string;
}

/** --api-base, then EXPE_API_BASE, then the env file's EXPE_API_BASE, then the saved config. */
async function apiBaseOf(globals: Globals, envFile: string | undefined): Promise<string> {
  const fromFile = envFile ? (await readEnvFile(envFile))[sandboxEnv.apiBase] : undefined;
  return (
    globals.apiBase ??
    (process.env.EXPE_API_BASE || undefined) ??
    fromFile ??
    (await readConfig()).api_base ??
    defaultApiBase
  );
}

/** `expe sandbox create` and `expe sandbox delete`: projects that end on their own, for CI. */
export function registerSandboxCommands(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description('sandbox projects with a time to live, for CI runs without Kubernetes');

  sandbox
    .command('create')
    .description(
      'create a sandbox project and a test key in it (signs in as the merchant: EXPE_EMAIL and EXPE_PASSWORD, or EXPE_ACCESS_TOKEN)',
    )
    .requiredOption('--ttl <duration>', 'how long it lives: 90s, 15m, 1h, 2d', parseTtl)
    .option('--name <name>', 'project name (default: expe sandbox <time>)')
    .option(
      '--env-file <file>',
      `write ${Object.values(sandboxEnv).join(', ')} to this file (other lines kept)`,
    )
    .action(async (options: { ttl: number; name?: string; envFile?: string }, command: Command) => {
      const globals = command.optsWithGlobals<Globals>();
      const output = createOutput(Boolean(globals.json));
      const created = await createSandbox(
        await apiBaseOf(globals, options.envFile),
        options,
        output,
      );
      output.result(created, () =>
        [
          `Sandbox ${created.project_id} (${created.name}) ends at ${formatTime(created.expires_at)} UTC.`,
          // With --env-file the key goes to the file only, so a CI job's log never shows it.
          options.envFile
            ? `${sandboxEnv.apiKey} is in ${options.envFile} (not printed)`
            : `${sandboxEnv.apiKey}=${created.secret_key}`,
          `${sandboxEnv.apiBase}=${created.api_base}`,
          `${sandboxEnv.projectId}=${created.project_id}`,
        ].join('\n'),
      );
    });

  sandbox
    .command('delete')
    .description('end a sandbox now (its keys answer 401 and its test data is archived)')
    .argument('[project-id]', `the sandbox (prj_…); default: ${sandboxEnv.projectId} of --env-file`)
    .option('--env-file <file>', `read ${sandboxEnv.projectId} (and ${sandboxEnv.apiBase}) here`)
    .action(
      async (projectId: string | undefined, options: { envFile?: string }, command: Command) => {
        const globals = command.optsWithGlobals<Globals>();
        const output = createOutput(Boolean(globals.json));
        const deleted = await deleteSandbox(await apiBaseOf(globals, options.envFile), {
          projectId,
          envFile: options.envFile,
        });
        output.result(deleted, () => `Sandbox ${deleted.id} ended.`);
      },
    );
}
